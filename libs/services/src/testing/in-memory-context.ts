import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ProducedFile, ServiceContext, ServiceTask, StoredChild } from '../contract/service-task';

/** A stored child with its bytes, as the in-memory context keeps it. */
export interface HeldChild extends StoredChild {
  data: Buffer;
}

/**
 * A ServiceContext over a Buffer, for unit tests of services: no filestore, produced files are read into
 * memory and hashed (typed `unknown`, the dispatcher identifies them for real).
 */
export class InMemoryContext implements ServiceContext {
  readonly extracted: HeldChild[] = [];
  readonly supplementary: HeldChild[] = [];
  private readonly controller = new AbortController();

  constructor(
    private readonly data: Buffer,
    readonly task: ServiceTask,
  ) {}

  static forFile(data: Buffer, overrides: Partial<Omit<ServiceTask, 'file'>> & { type?: string; name?: string } = {}): InMemoryContext {
    const { type = 'unknown', name = 'sample', ...task } = overrides;
    const sha256 = createHash('sha256').update(data).digest('hex');
    return new InMemoryContext(data, {
      sid: 'test-sid',
      depth: 0,
      params: {},
      temp_data: {},
      deep_scan: false,
      ...task,
      file: { sha256, type, name, size: data.length },
    });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason = 'timed out'): void {
    this.controller.abort(new Error(reason));
  }

  async openFile(): Promise<Readable> {
    return Readable.from([this.data]);
  }

  addExtracted(file: ProducedFile): Promise<StoredChild> {
    return this.hold(file, this.extracted);
  }

  addSupplementary(file: ProducedFile): Promise<StoredChild> {
    return this.hold(file, this.supplementary);
  }

  private async hold(file: ProducedFile, into: HeldChild[]): Promise<StoredChild> {
    const chunks: Buffer[] = [];
    for await (const chunk of file.stream) chunks.push(Buffer.from(chunk as Buffer));
    const data = Buffer.concat(chunks);
    const child: HeldChild = {
      name: file.name,
      description: file.description,
      sha256: createHash('sha256').update(data).digest('hex'),
      type: 'unknown',
      size: data.length,
      data,
    };
    into.push(child);
    const { data: _bytes, ...stored } = child;
    return stored;
  }
}
