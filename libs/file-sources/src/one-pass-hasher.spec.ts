import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OnePassHasher } from './one-pass-hasher';

describe('OnePassHasher', () => {
  it('passes the bytes through and hashes them in the same pass', async () => {
    const parts = [Buffer.from('hello '), Buffer.from('world'), Buffer.alloc(70_000, 7)];
    const whole = Buffer.concat(parts);
    const hasher = new OnePassHasher();
    const out: Buffer[] = [];
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => out.push(chunk));
    await pipeline(Readable.from(parts), hasher, sink);
    expect(Buffer.concat(out).equals(whole)).toBe(true);
    expect(hasher.size).toBe(whole.length);
    expect(hasher.digests()).toEqual({
      md5: createHash('md5').update(whole).digest('hex'),
      sha1: createHash('sha1').update(whole).digest('hex'),
      sha256: createHash('sha256').update(whole).digest('hex'),
    });
  });

  it('refuses to answer before the stream ended', () => {
    expect(() => new OnePassHasher().digests()).toThrow(/before the stream ended/);
  });
});
