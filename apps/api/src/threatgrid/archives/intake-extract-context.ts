import type { Readable } from 'node:stream';
import type { ProducedFile, ServiceContext, ServiceTask, StoredChild } from '@hopper/services';

/** Takes one file Extract produced: stores it and says how it was stored. */
export type ExtractedFileSink = (file: ProducedFile) => Promise<StoredChild>;

/**
 * The ServiceContext Extract runs in at intake: the archive comes from `open`, each extracted file goes to
 * `sink`. Extract declares no supplementary files and intake would have nowhere to keep one, so those are
 * refused; nothing is taken once the signal has fired, as in the dispatcher.
 */
export class IntakeExtractContext implements ServiceContext {
  constructor(
    readonly task: ServiceTask,
    readonly signal: AbortSignal,
    private readonly open: () => Promise<Readable>,
    private readonly sink: ExtractedFileSink,
  ) {}

  openFile(): Promise<Readable> {
    return this.open();
  }

  async addExtracted(file: ProducedFile): Promise<StoredChild> {
    if (this.signal.aborted) {
      file.stream.destroy();
      throw new Error(`extracted file ${JSON.stringify(file.name)} arrived after intake extraction was stopped`);
    }
    return this.sink(file);
  }

  async addSupplementary(file: ProducedFile): Promise<StoredChild> {
    file.stream.destroy();
    throw new Error(`intake extraction keeps no supplementary files (${JSON.stringify(file.name)})`);
  }
}
