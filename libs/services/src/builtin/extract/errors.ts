export type LimitName = 'max_entries' | 'max_total_bytes' | 'max_ratio';

/**
 * An archive-bomb limit was reached. `entry` scope drops the one entry and extraction goes on (a ratio);
 * `archive` scope stops the whole extraction (entry count, total output).
 */
export class LimitExceededError extends Error {
  constructor(
    readonly limit: LimitName,
    readonly scope: 'entry' | 'archive',
    message: string,
  ) {
    super(message);
    this.name = 'LimitExceededError';
  }
}

/** The archive's data could not be read: corrupt, truncated, unsupported, or a wrong password's garbage. */
export class ArchiveReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArchiveReadError';
  }

  static from(error: unknown): ArchiveReadError {
    return error instanceof ArchiveReadError ? error : new ArchiveReadError(describeError(error), { cause: error });
  }
}

/** The dispatcher failed to store a produced file: not the archive's fault, so the service fails. */
export class ChildStoreError extends Error {
  constructor(name: string, cause: unknown) {
    super(`storing extracted file ${JSON.stringify(name)} failed: ${describeError(cause)}`, { cause });
    this.name = 'ChildStoreError';
  }
}

/** One line for a report: the message of an error, whatever was thrown. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, 500) || 'unknown error';
}
