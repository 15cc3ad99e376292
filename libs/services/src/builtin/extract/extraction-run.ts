import { Readable } from 'node:stream';
import type { ServiceContext } from '../../contract/service-task';
import { sanitiseEntryName } from './entry-name';
import { ArchiveReadError, ChildStoreError, describeError, LimitExceededError } from './errors';
import { ExtractBudget } from './extract-budget';
import type { ExtractOptions } from './extract-options';
import { candidatePasswords, PasswordBook } from './passwords';

export interface ExtractedFile {
  name: string;
  size: number;
}

export interface ReadProblem {
  /** The entry concerned, or null for the archive as a whole. */
  entry: string | null;
  message: string;
}

/**
 * The state of one Extract call: what was stored, which limits were hit, what could not be read or
 * opened. Format readers stream entries through `emit` and note what went wrong; the report is built from
 * this afterwards, so whatever was stored before a failure is always listed.
 */
export class ExtractionRun {
  readonly extracted: ExtractedFile[] = [];
  readonly limitHits: LimitExceededError[] = [];
  readonly readProblems: ReadProblem[] = [];
  readonly lockedEntries: string[] = [];
  readonly budget: ExtractBudget;
  readonly passwords: PasswordBook;
  emptySkipped = 0;
  private unnamed = 0;

  constructor(
    readonly context: ServiceContext,
    options: ExtractOptions,
    /** e.g. `zip`: written into each child's description. */
    readonly format: string,
  ) {
    this.budget = new ExtractBudget(options.limits);
    this.passwords = new PasswordBook(candidatePasswords(context.task, options.defaultPasswords));
  }

  get signal(): AbortSignal {
    return this.context.signal;
  }

  /** Throws the abort reason once the dispatcher has given up on this task. */
  checkpoint(): void {
    this.signal.throwIfAborted();
  }

  /** The child name for an entry path (sanitised), numbered when nothing usable is left of it. */
  childName(raw: string): string {
    return sanitiseEntryName(raw, `extracted_${++this.unnamed}`);
  }

  noteLimit(hit: LimitExceededError): void {
    this.limitHits.push(hit);
  }

  noteReadProblem(entry: string | null, error: unknown): void {
    this.readProblems.push({ entry, message: describeError(error) });
  }

  noteLocked(entry: string): void {
    this.lockedEntries.push(entry);
  }

  /**
   * Streams one entry's bytes to the dispatcher, counted against the limits as they pass. Returns true when
   * stored; false when the entry was empty (not worth a child) or dropped for its ratio (noted). A chunk
   * that would break a limit is never passed on: the stream handed to the dispatcher is destroyed with the
   * error instead, so the partial file is rejected.
   *
   * Throws an archive-wide LimitExceededError, an ArchiveReadError when `source` fails, a ChildStoreError
   * when the dispatcher fails to store, or the abort reason.
   */
  async emit(name: string, source: AsyncIterable<Uint8Array>, compressedSize: number | null): Promise<boolean> {
    this.checkpoint();
    const entries = source[Symbol.asyncIterator]();
    const first = await nextChunk(entries);
    if (first.done) {
      this.emptySkipped += 1;
      return false;
    }
    try {
      this.budget.admit(name);
    } catch (error) {
      await entries.return?.();
      throw error;
    }

    const meter = this.budget.meter(name, compressedSize);
    const signal = this.signal;
    let failure: unknown = null;
    async function* metered(): AsyncGenerator<Buffer> {
      try {
        for (let step = first; !step.done; step = await nextChunk(entries)) {
          signal.throwIfAborted();
          meter.add(step.value.byteLength);
          yield Buffer.from(step.value.buffer, step.value.byteOffset, step.value.byteLength);
        }
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        // Stops the source (cancels the zip entry, the tar entry...) when we or the dispatcher stop early.
        await entries.return?.();
      }
    }

    const stream = Readable.from(metered(), { objectMode: false });
    // Inside a long copy: the dispatcher's read ends at once, the generator stops at its next chunk.
    const onAbort = (): void => {
      failure ??= signal.reason;
      stream.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await this.context.addExtracted({ name, description: `Extracted from ${this.format} archive`, stream });
      // A dispatcher that swallowed the stream's error must not make a partial file look complete.
      if (failure !== null) throw failure;
      meter.commit();
      this.extracted.push({ name, size: meter.bytes });
      return true;
    } catch (error) {
      meter.discard();
      const cause = failure ?? (signal.aborted ? signal.reason : null);
      if (cause instanceof LimitExceededError && cause.scope === 'entry') {
        this.noteLimit(cause);
        return false;
      }
      if (cause !== null) throw cause;
      throw new ChildStoreError(name, error);
    } finally {
      signal.removeEventListener('abort', onAbort);
      stream.destroy();
    }
  }
}

/** The source's next chunk; a failure of the source is the archive's, whatever it threw. */
async function nextChunk(entries: AsyncIterator<Uint8Array>): Promise<IteratorResult<Uint8Array>> {
  try {
    return await entries.next();
  } catch (error) {
    throw ArchiveReadError.from(error);
  }
}
