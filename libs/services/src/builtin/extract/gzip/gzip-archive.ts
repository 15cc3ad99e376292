import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ExtractionRun } from '../extraction-run';
import { readHead } from '../read-head';
import { GZIP_HEAD_BYTES, gunzippedName, gzipStoredName } from './gzip-header';

/**
 * Gunzips the file as a stream (concatenated members included, as gzip does). The ratio is taken against
 * the whole input, the only compressed size a gzip has. A tar.gz gives a tar, which comes back as a child.
 */
export async function extractGzip(run: ExtractionRun): Promise<void> {
  const { file } = run.context.task;
  const name = gunzippedName(gzipStoredName(await readHead(await run.context.openFile(), GZIP_HEAD_BYTES)), file.name);
  const input = await run.context.openFile();
  // pipeline destroys both on any error, so a failing input surfaces as the gunzip stream's error.
  const gunzip = pipeline(input, createGunzip(), () => undefined);
  try {
    await run.emit(name, gunzip, file.size);
  } finally {
    gunzip.destroy();
    input.destroy();
  }
}
