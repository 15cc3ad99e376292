import { Readable } from 'node:stream';
import type { ServiceTask } from '../../contract/service-task';
import { InMemoryContext } from '../../testing/in-memory-context';

/**
 * Test helper: an in-memory context whose file stream arrives in chunks of the given sizes (cycled), to
 * check that a service's result does not depend on where chunk boundaries fall.
 */
export class ChunkedTestContext extends InMemoryContext {
  constructor(
    private readonly bytes: Buffer,
    task: ServiceTask,
    private readonly chunkSizes: readonly number[],
  ) {
    super(bytes, task);
    if (chunkSizes.length === 0 || chunkSizes.some((size) => !Number.isInteger(size) || size < 1)) {
      throw new RangeError('chunk sizes must be positive integers');
    }
  }

  static chunked(
    data: Buffer,
    chunkSizes: readonly number[],
    overrides: Parameters<typeof InMemoryContext.forFile>[1] = {},
  ): ChunkedTestContext {
    return new ChunkedTestContext(data, InMemoryContext.forFile(data, overrides).task, chunkSizes);
  }

  override async openFile(): Promise<Readable> {
    const { bytes, chunkSizes } = this;
    function* chunks(): Generator<Buffer> {
      let turn = 0;
      for (let at = 0; at < bytes.length; turn++) {
        const size = chunkSizes[turn % chunkSizes.length]!;
        yield bytes.subarray(at, at + size);
        at += size;
      }
    }
    return Readable.from(chunks());
  }
}
