import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { CartDecodeOptions, CartDecodeResult, createCartDecoder } from './cart-decoder';

/**
 * Decodes a CaRT file to `outputPath`, writing to a temporary file beside it and renaming only when the
 * whole file (footer included) checked out, so a refused CaRT leaves nothing behind.
 */
export async function decodeCartFile(inputPath: string, outputPath: string, options: CartDecodeOptions = {}): Promise<CartDecodeResult> {
  const partial = `${outputPath}.${randomUUID()}.partial`;
  const decoder = createCartDecoder(options);
  try {
    await pipeline(createReadStream(inputPath), decoder.stream, createWriteStream(partial));
    const result = await decoder.result;
    await rename(partial, outputPath);
    return result;
  } catch (err) {
    await rm(partial, { force: true });
    // The decoder's own error names the CaRT problem; a pipeline error may only say "premature close".
    throw await decoder.result.then(() => err, (cartError: Error) => cartError);
  }
}
