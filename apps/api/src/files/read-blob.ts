import type { Readable } from 'node:stream';

/** The first `count` bytes of `stream` (fewer if it ends first); the rest is never read. */
export async function readHead(stream: Readable, count: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (have >= count) break;
      const part = chunk.subarray(0, count - have);
      parts.push(part);
      have += part.length;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts, have);
}

/** Feeds the first `maxBytes` of `stream` to `consume` chunk by chunk; stops early when `consume` answers false. */
export async function scanHead(stream: Readable, maxBytes: number, consume: (chunk: Buffer) => boolean): Promise<void> {
  let seen = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const part = chunk.subarray(0, maxBytes - seen);
      seen += part.length;
      if (!consume(part) || seen >= maxBytes) break;
    }
  } finally {
    stream.destroy();
  }
}
