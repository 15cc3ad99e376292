import { BadRequestException } from '@nestjs/common';

/** Longest name kept, in characters (file systems and the UI cap names at about this). */
export const MAX_NAME_LENGTH = 255;
export const INVALID_FILENAME = 'Invalid filename';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A file name reduced as Assemblyline reduces it (`safe_str(os.path.basename(name))`): the part after the last
 * path separator (`/`, and `\` too, since Windows clients send those), with control characters and invalid
 * UTF-16 removed and surrounding whitespace trimmed. Empty when nothing is left, or only `.` or `..` (they
 * name a directory, not a file). For names Hopper falls back from (a CaRT header's, a download's): at most
 * 255 characters are kept. A name the caller submits goes through submittedBasename, which refuses instead.
 */
export function safeBasename(name: string): string {
  return cut(basename(name), MAX_NAME_LENGTH);
}

/**
 * A name kept whole (a URL, a name given to a resubmission), made printable as Assemblyline's `safe_str`
 * does: control characters and invalid UTF-16 removed, surrounding whitespace trimmed, at most `maxLength`
 * characters (255 unless said: a URL may need more).
 */
export function safeName(name: string, maxLength = MAX_NAME_LENGTH): string {
  return cut(printable(name), maxLength);
}

/**
 * The name a submission's data block gives its file, reduced as safeBasename does; refused with 400 "Invalid
 * filename" when nothing usable is left, and with the limit named when it is longer than 255 characters (a
 * cut name would silently differ from the one given).
 */
export function submittedBasename(name: string): string {
  return checked(basename(name), MAX_NAME_LENGTH);
}

/** A submitted name kept whole (a URL naming its submission), refused like submittedBasename's. */
export function submittedName(name: string, maxLength = MAX_NAME_LENGTH): string {
  return checked(printable(name), maxLength);
}

function basename(name: string): string {
  const base = printable(name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1));
  return base === '.' || base === '..' ? '' : base;
}

function printable(name: string): string {
  return name.replace(LONE_SURROGATE, '').replace(CONTROL, '').trim();
}

// Characters, not UTF-16 units: a surrogate pair is never split.
function cut(name: string, maxLength: number): string {
  return Array.from(name).slice(0, maxLength).join('');
}

function checked(name: string, maxLength: number): string {
  if (!name) throw new BadRequestException(INVALID_FILENAME);
  const length = Array.from(name).length;
  if (length > maxLength) throw new BadRequestException(`${INVALID_FILENAME}: a file name may be at most ${maxLength} characters (this one has ${length})`);
  return name;
}
