import type { Readable } from 'node:stream';

/** The first `max` bytes of a stream (fewer if it is shorter); the stream is destroyed afterwards. */
export async function readHead(input: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of input) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      chunks.push(buffer);
      length += buffer.length;
      if (length >= max) break;
    }
  } finally {
    input.destroy();
  }
  return Buffer.concat(chunks).subarray(0, max);
}
