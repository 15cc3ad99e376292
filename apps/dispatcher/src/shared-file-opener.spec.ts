import { Readable } from 'node:stream';
import { BlobNotFoundError, type Filestore } from '@hopper/filestore';
import { SHARED_READ_MAX_BYTES, sharedFileOpener } from './shared-file-opener';

/** The part of a filestore the opener uses, holding one blob, counting its gets. */
function storeHolding(sha256: string, bytes: Buffer): Filestore & { gets: number } {
  const store = {
    gets: 0,
    async get(key: string) {
      store.gets++;
      if (key !== sha256) throw new BlobNotFoundError(key);
      return Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)], { objectMode: false });
    },
  };
  return store as unknown as Filestore & { gets: number };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('sharedFileOpener', () => {
  const sha256 = 'a'.repeat(64);

  it('reads a small file from the filestore once, however many services open it, side by side or later', async () => {
    const bytes = Buffer.alloc(5000, 7);
    const store = storeHolding(sha256, bytes);
    const open = sharedFileOpener(store, { sha256, size: bytes.length });
    const [first, second] = await Promise.all([open(), open()]);
    const third = await open();
    for (const stream of [first, second, third]) expect((await readAll(stream)).equals(bytes)).toBe(true);
    expect(store.gets).toBe(1);
  });

  it('opens a file larger than the bound from the filestore each time (never held)', async () => {
    const bytes = Buffer.alloc(SHARED_READ_MAX_BYTES + 1, 1);
    const store = storeHolding(sha256, bytes);
    const open = sharedFileOpener(store, { sha256, size: bytes.length });
    expect((await readAll(await open())).equals(bytes)).toBe(true);
    expect((await readAll(await open())).equals(bytes)).toBe(true);
    expect(store.gets).toBe(2);
  });

  it('streams a blob that turns out larger than its task said instead of holding it', async () => {
    const bytes = Buffer.alloc(SHARED_READ_MAX_BYTES + 10, 3);
    const store = storeHolding(sha256, bytes);
    const open = sharedFileOpener(store, { sha256, size: 100 });
    expect((await readAll(await open())).equals(bytes)).toBe(true);
    expect((await readAll(await open())).equals(bytes)).toBe(true);
  });

  it('fails every open of a missing blob with the filestore error', async () => {
    const open = sharedFileOpener(storeHolding(sha256, Buffer.alloc(1)), { sha256: 'b'.repeat(64), size: 10 });
    await expect(open()).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(open()).rejects.toBeInstanceOf(BlobNotFoundError);
  });
});
