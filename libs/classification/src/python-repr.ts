/** Python's `repr` of a list of strings, which Assemblyline puts in its intersection error message. */
export function pythonListRepr(items: string[]): string {
  return `[${items.map(pythonStrRepr).join(', ')}]`;
}

function pythonStrRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const escaped = value
    .replaceAll('\\', '\\\\')
    .replaceAll(quote, `\\${quote}`)
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t');
  return quote + escaped + quote;
}
