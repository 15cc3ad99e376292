/** Longest name kept, in characters (file systems and the UI cap names at about this). */
const MAX_NAME_LENGTH = 255;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A submitted file name reduced as Assemblyline reduces it (`safe_str(os.path.basename(name))`): the part
 * after the last path separator (`/`, and `\` too, since Windows clients send those), with control
 * characters and invalid UTF-16 removed and surrounding whitespace trimmed. Empty when nothing is left.
 */
export function safeBasename(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const printable = base.replace(LONE_SURROGATE, '').replace(CONTROL, '').trim();
  return Array.from(printable).slice(0, MAX_NAME_LENGTH).join('');
}
