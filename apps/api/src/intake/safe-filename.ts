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
  return safeName(name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1));
}

/**
 * A name kept whole (a URL, a name given to a resubmission), made printable as Assemblyline's `safe_str`
 * does: control characters and invalid UTF-16 removed, surrounding whitespace trimmed, at most `maxLength`
 * characters (255 unless said: a URL may need more).
 */
export function safeName(name: string, maxLength = MAX_NAME_LENGTH): string {
  const printable = name.replace(LONE_SURROGATE, '').replace(CONTROL, '').trim();
  return Array.from(printable).slice(0, maxLength).join('');
}
