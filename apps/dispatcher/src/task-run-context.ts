import type { Readable } from 'node:stream';
import type { ProducedFile, ServiceContext, ServiceManifest, ServiceTask, StoredChild } from '@hopper/services';

/** Stores a produced file; `kind` says whether it is analysed in turn (extracted) or kept aside. */
export type ProducedFileSink = (file: ProducedFile, kind: 'extracted' | 'supplementary') => Promise<StoredChild>;

/**
 * The context of one in-process service run: the file, the service's parameters, a deadline signal, and the
 * files the run produced. Once the signal fires nothing more is stored, so a run that overstayed its time
 * cannot add to a result that is already recorded as an error.
 */
export class TaskRunContext implements ServiceContext {
  readonly extracted: StoredChild[] = [];
  readonly supplementary: StoredChild[] = [];

  constructor(
    readonly task: ServiceTask,
    readonly signal: AbortSignal,
    private readonly manifest: ServiceManifest,
    private readonly open: () => Promise<Readable>,
    private readonly sink: ProducedFileSink,
  ) {}

  openFile(): Promise<Readable> {
    return this.open();
  }

  async addExtracted(file: ProducedFile): Promise<StoredChild> {
    this.assertMayProduce(file, this.manifest.produces_extracted, 'extracted');
    const child = await this.sink(file, 'extracted');
    this.extracted.push(child);
    return child;
  }

  async addSupplementary(file: ProducedFile): Promise<StoredChild> {
    this.assertMayProduce(file, this.manifest.produces_supplementary, 'supplementary');
    const child = await this.sink(file, 'supplementary');
    this.supplementary.push(child);
    return child;
  }

  private assertMayProduce(file: ProducedFile, declared: boolean, kind: string): void {
    let refusal: string | null = null;
    if (this.signal.aborted) refusal = `${this.manifest.name} produced ${kind} file ${file.name} after its time was up`;
    else if (!declared) refusal = `${this.manifest.name} produced ${kind} file ${file.name} but its manifest does not declare produces_${kind}`;
    if (refusal === null) return;
    file.stream.destroy();
    throw new Error(refusal);
  }
}
