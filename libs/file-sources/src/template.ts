/**
 * Replaces every occurrence of `pattern` in a source's url or data template with the user's input. In the
 * url the input is percent-encoded, so an input can fill a path segment or a query value but never add a
 * path, a query or a host of its own.
 */
export function expandTemplate(template: string, pattern: string, input: string, target: 'url' | 'data'): string {
  const value = target === 'url' ? encodeURIComponent(input) : input;
  return template.split(pattern).join(value);
}
