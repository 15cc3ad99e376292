/** Longest child name kept, in characters (what most filesystems allow for one name). */
export const MAX_ENTRY_NAME_LENGTH = 255;

// C0 controls and DEL: NULs truncate names in C tools, newlines forge lines in reports.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;
// Backslash counts as a separator too: Windows tools write it, and traversal aimed at Windows uses it.
const SEPARATORS = /[\\/]+/;
const DRIVE_PREFIX = /^[A-Za-z]:/;

/**
 * The name a child is stored under: the entry's path inside the archive (as Assemblyline names it), made
 * harmless for anything that later writes it to disk: no absolute path, drive letter, `.` or `..` segment,
 * control character, and at most 255 characters. `fallback` is used when nothing is left.
 */
export function sanitiseEntryName(raw: string, fallback: string): string {
  const segments = raw
    .replace(CONTROL_CHARACTERS, '')
    .split(SEPARATORS)
    .map((segment, index) => (index === 0 ? segment.replace(DRIVE_PREFIX, '') : segment))
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..');
  if (segments.length === 0) return fallback;
  return shorten(segments);
}

/** Drops leading folders until the path fits; a single name too long keeps its extension. */
function shorten(segments: string[]): string {
  let kept = segments;
  while (kept.length > 1 && length(kept.join('/')) > MAX_ENTRY_NAME_LENGTH) kept = kept.slice(1);
  const name = kept.join('/');
  if (length(name) <= MAX_ENTRY_NAME_LENGTH) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  // Cut by code points so a surrogate pair is never split.
  const stem = Array.from(name.slice(0, name.length - extension.length));
  return stem.slice(0, MAX_ENTRY_NAME_LENGTH - length(extension)).join('') + extension;
}

function length(text: string): number {
  return Array.from(text).length;
}
