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
    const full = hasher.fileDigests();
    expect(full.size).toBe(whole.length);
    expect(full.entropy).toBeGreaterThan(0);
    expect(full.entropy).toBeLessThan(1);
  });

  it('gives the empty-file digests for an empty stream', async () => {
    const hasher = new OnePassHasher();
    await pipeline(Readable.from([]), hasher, new PassThrough().resume());
    expect(hasher.fileDigests()).toEqual({
      md5: 'd41d8cd98f00b204e9800998ecf8427e',
      sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      size: 0,
      entropy: 0,
    });
  });

  it('refuses to answer before the stream ended', () => {
    expect(() => new OnePassHasher().digests()).toThrow(/before the stream ended/);
  });
});
