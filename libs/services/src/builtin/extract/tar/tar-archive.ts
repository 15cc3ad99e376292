import * as tar from 'tar-stream';
import type { ExtractionRun } from '../extraction-run';

/** Header types that carry a regular file's bytes; links, devices, fifos and directories do not. */
const REGULAR = new Set(['file', 'contiguous-file']);

/**
 * Streams a tar's regular files out in order. A link is skipped, never followed. tar does not compress, so
 * there is no ratio to check; entry count and total output still are.
 */
export async function extractTar(run: ExtractionRun): Promise<void> {
  const input = await run.context.openFile();
  const extract = tar.extract();
  // tar-stream's streams are streamx ones: piped into, with the input's failure passed on by hand.
  input.on('error', (error) => extract.destroy(error));
  input.pipe(extract);
  try {
    for await (const entry of extract) {
      run.checkpoint();
      if (!REGULAR.has(entry.header.type ?? 'file')) {
        entry.resume();
        continue;
      }
      // tar-stream entries are byte streams: Buffers.
      await run.emit(run.childName(entry.header.name), entry as AsyncIterable<Buffer>, null);
    }
  } finally {
    extract.destroy();
    input.destroy();
  }
}
