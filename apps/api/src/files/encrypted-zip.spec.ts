import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import * as zip from '@zip.js/zip.js';
import { encryptedZip } from './encrypted-zip';

async function unzip(archive: Buffer, password: string): Promise<{ name: string; content: Buffer; encrypted: boolean; zipCrypto: boolean }[]> {
  const reader = new zip.ZipReader(new zip.Uint8ArrayReader(archive), { password });
  try {
    const entries = await reader.getEntries();
    return Promise.all(
      entries.map(async (entry) => ({
        name: entry.filename,
        content: Buffer.from(await (entry as zip.FileEntry).getData(new zip.Uint8ArrayWriter())),
        encrypted: entry.encrypted,
        zipCrypto: entry.zipCrypto,
      })),
    );
  } finally {
    await reader.close();
  }
}

describe('encryptedZip', () => {
  const content = Buffer.concat([randomBytes(200_000), Buffer.alloc(100_000, 0x41)]);

  it.each([
    ['aes256', false],
    ['zipcrypto', true],
  ] as const)('round-trips one entry encrypted with %s', async (encryption, zipCrypto) => {
    const archive = await buffer(encryptedZip(Readable.from([content]), 'sample.exe', 'infected', encryption));
    expect(await unzip(archive, 'infected')).toEqual([{ name: 'sample.exe', content, encrypted: true, zipCrypto }]);
  });

  it('cannot be read with another password', async () => {
    const archive = await buffer(encryptedZip(Readable.from([content]), 'sample.exe', 'infected', 'aes256'));
    await expect(unzip(archive, 'wrong')).rejects.toThrow(zip.ERR_INVALID_PASSWORD);
  });

  it('streams: zip bytes come out before the last input chunk is read', async () => {
    let produced = 0;
    let producedBeforeLastChunk = -1;
    const chunks = 64;
    async function* source() {
      for (let n = 0; n < chunks; n++) {
        if (n === chunks - 1) producedBeforeLastChunk = produced;
        yield randomBytes(64 * 1024);
      }
    }
    const output = encryptedZip(Readable.from(source()), 'big.bin', 'infected', 'aes256');
    for await (const piece of output) produced += (piece as Buffer).length;
    // 4 MiB of incompressible input: buffering it whole would produce nothing until the end.
    expect(producedBeforeLastChunk).toBeGreaterThan(1024 * 1024);
  });

  it('fails the output when the content fails', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('blob read failed'));
      },
    });
    await expect(buffer(encryptedZip(failing, 'x', 'infected', 'aes256'))).rejects.toThrow('blob read failed');
  });
});

describe('encryptedZip, reader gone', () => {
  it('destroys the content stream when the output is destroyed early', async () => {
    const content = Readable.from((async function* () {
      for (;;) yield randomBytes(64 * 1024);
    })());
    const output = encryptedZip(content, 'endless.bin', 'infected', 'aes256');
    for await (const _piece of output) break; // a client that disconnects after the first bytes
    if (!content.destroyed) await once(content, 'close');
    expect(content.destroyed).toBe(true);
  });
});
