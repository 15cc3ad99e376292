export type SevenZipEntryKind = 'file' | 'directory' | 'link' | 'other';

/** One entry of `7za l -slt`. */
export interface SevenZipEntry {
  path: string;
  /** Declared uncompressed size (7-Zip's decoder produces exactly this, or fails). */
  size: number;
  /** Packed size of the entry's block, given on the block's first entry only (solid archives). */
  packedSize: number | null;
  /** The block (folder) holding the entry's data; null for entries without data. */
  block: number | null;
  encrypted: boolean;
  kind: SevenZipEntryKind;
}

const SEPARATOR = '----------';

/**
 * Reads `7za l -slt` output line by line, so a listing of a huge archive is never held whole: the archive's
 * own block comes first and is skipped, then after the dashes one `Key = Value` block per entry, blank-line
 * separated.
 */
export class SevenZipListingParser {
  private started = false;
  private fields: Map<string, string> | null = null;

  /** Takes one line; returns the entry it completes, if any. */
  push(line: string): SevenZipEntry | null {
    if (!this.started) {
      this.started = line.trim() === SEPARATOR;
      return null;
    }
    if (line.trim() === '') return this.flush();
    const at = line.indexOf(' =');
    if (at <= 0) return null;
    const key = line.slice(0, at);
    const value = line.slice(at + 2).replace(/^ /, '');
    if (key === 'Path') {
      const previous = this.flush();
      this.fields = new Map([[key, value]]);
      return previous;
    }
    this.fields?.set(key, value);
    return null;
  }

  /** The last entry, when the output did not end with a blank line. */
  end(): SevenZipEntry | null {
    return this.flush();
  }

  private flush(): SevenZipEntry | null {
    const fields = this.fields;
    this.fields = null;
    if (!fields) return null;
    return {
      path: fields.get('Path') ?? '',
      size: integer(fields.get('Size')) ?? 0,
      packedSize: integer(fields.get('Packed Size')),
      block: integer(fields.get('Block')),
      encrypted: fields.get('Encrypted') === '+',
      kind: kindOf(fields.get('Attributes') ?? '', fields.get('Folder')),
    };
  }
}

function integer(text: string | undefined): number | null {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}

/**
 * From `Attributes`, e.g. `A_ -rw-r--r--`, `D_ drwxr-xr-x`, `A_ lrwxrwxrwx` (Windows letters, then the
 * Unix mode when the archive has one) or `DA` from Windows: the Unix file type wins when present.
 */
function kindOf(attributes: string, folder: string | undefined): SevenZipEntryKind {
  if (folder === '+') return 'directory';
  const [windows = '', unix] = attributes.trim().split(/\s+/);
  if (unix && /^[-a-z][-rwxsStT]{9}$/.test(unix)) {
    if (unix[0] === '-') return 'file';
    if (unix[0] === 'd') return 'directory';
    if (unix[0] === 'l') return 'link';
    return 'other';
  }
  return windows.includes('D') ? 'directory' : 'file';
}
