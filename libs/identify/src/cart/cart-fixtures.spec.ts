import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createCartDecoder } from './cart-decoder';
import { createCartEncoder } from './cart-encoder';
import { CartError, CartFooterMismatchError } from './cart-errors';
import { isCart, MANDATORY_HEADER_LENGTH } from './cart-format';
import { Rc4 } from '../rc4';
import { decodeCartFile } from './decode-cart-file';

// The reference implementation's files and their manifest (copied from shared/fixtures/cart, see its README).
const dir = join(__dirname, '../../../../test/fixtures/cart');
interface Fixture {
  id: string;
  file: string;
  expect: 'decodes' | 'refused';
  key_hex: string | null;
  decoded_sha256?: string;
  decoded_size?: number;
  original?: string | null;
  header?: Record<string, unknown>;
  footer?: Record<string, unknown>;
  footer_consistent?: boolean;
  header_json?: string;
  footer_json?: string;
  layout?: { header_key_hex: string; opt_header_len: number; body_offset: number };
  reference_is_cart?: boolean;
}
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { default_key_hex: string; fixtures: Fixture[] };
const manifestDefaultKey = manifest.default_key_hex;
const decodes = manifest.fixtures.filter((f) => f.expect === 'decodes');
const refused = manifest.fixtures.filter((f) => f.expect === 'refused');
const keyOf = (f: Fixture) => (f.key_hex ? Buffer.from(f.key_hex, 'hex') : undefined);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** Feeds `bytes` in chunks of `chunk` bytes (to exercise every boundary) and collects the output. */
async function decodeBytes(bytes: Buffer, key?: Buffer, chunk = 65_536, onFooterMismatch: 'reject' | 'accept' = 'accept') {
  const decoder = createCartDecoder({ key, onFooterMismatch });
  const parts: Buffer[] = [];
  for (let n = 0; n < bytes.length; n += chunk) parts.push(bytes.subarray(n, n + chunk));
  const out = new PassThrough();
  const [output] = await Promise.all([collect(out), pipeline(Readable.from(parts), decoder.stream, out)]);
  return { output, result: await decoder.result };
}

async function encodeBytes(original: Buffer, options: Parameters<typeof createCartEncoder>[0]) {
  const encoder = createCartEncoder(options);
  const out = new PassThrough();
  const [cart] = await Promise.all([collect(out), pipeline(Readable.from([original]), encoder.stream, out)]);
  return { cart, result: await encoder.result };
}

describe('CaRT fixtures (reference implementation)', () => {
  it('covers every file in the fixture folder', () => {
    const files = new Set(manifest.fixtures.map((f) => f.file));
    const carts = readdirSync(dir).filter((n) => n.endsWith('.cart'));
    expect(carts.filter((n) => !files.has(n))).toEqual([]);
    expect(decodes.length + refused.length).toBe(manifest.fixtures.length);
  });

  describe.each(decodes.map((f) => [f.id, f] as const))('decodes %s', (_id, f) => {
    const bytes = readFileSync(join(dir, f.file));

    it('gives the manifest sha256, size, header and footer', async () => {
      expect(isCart(bytes)).toBe(true);
      const { output, result } = await decodeBytes(bytes, keyOf(f));
      expect(sha256(output)).toBe(f.decoded_sha256);
      expect(output.length).toBe(f.decoded_size);
      expect(result.sha256).toBe(f.decoded_sha256); // identity from the bytes, never from the footer
      expect(result.size).toBe(f.decoded_size);
      expect(result.header).toEqual(f.header);
      expect(result.footer).toEqual(f.footer);
      if (typeof f.header!['name'] === 'string') expect(result.name).toBe(f.header!['name']);
      if (f.original) expect(output.equals(readFileSync(join(dir, f.original)))).toBe(true);
      expect(result.footerMismatch.length === 0).toBe(f.footer_consistent);
    });

    it('gives the same output however the input is chunked', async () => {
      for (const chunk of [1, 7, 38, 4096]) {
        // Tiny chunks cross every header, block and footer boundary of the small fixtures; over a large one
        // (random.cart, 300 KB: 44,000 reads of 7 bytes) they add minutes under load and cover nothing new.
        if (chunk < 38 && bytes.length > 10_000) continue;
        const { output } = await decodeBytes(bytes, keyOf(f), chunk);
        expect(sha256(output)).toBe(f.decoded_sha256);
      }
    });

    if (f.original) {
      it('re-encodes to the reference header bytes and footer JSON, and round-trips', async () => {
        const original = readFileSync(join(dir, f.original!));
        const callerFooter = Object.fromEntries(
          Object.entries(f.footer!).filter(([k]) => !['md5', 'sha1', 'sha256', 'length'].includes(k)),
        );
        // custom-key: the given private key; key-in-header: the key its header stores; else the default.
        const stored = f.layout!.header_key_hex;
        const key = keyOf(f) ?? (stored === manifestDefaultKey ? undefined : Buffer.from(stored, 'hex'));
        const { cart } = await encodeBytes(original, {
          header: f.header,
          footer: callerFooter,
          key,
          digests: Object.keys(f.footer!).length > 0, // no-metadata: digests were turned off
        });
        const { output, result } = await decodeBytes(cart, key);
        expect(output.equals(original)).toBe(true);
        expect(result.header).toEqual(f.header);

        const reference = readFileSync(join(dir, f.file));
        const headerEnd = f.layout!.body_offset;
        if (f.id === 'key-in-header') {
          // The reference writer never stores a private key; Hopper, like it, writes zeros there.
          expect(cart.subarray(14, 30).equals(Buffer.alloc(16))).toBe(true);
          expect(cart.subarray(30, headerEnd).equals(reference.subarray(30, headerEnd))).toBe(true);
        } else {
          expect(cart.subarray(0, headerEnd).equals(reference.subarray(0, headerEnd))).toBe(true);
        }
        if (f.footer_consistent) {
          // Decrypt Hopper's optional footer and compare the JSON text with the reference's.
          const footerLen = Number(cart.readBigUInt64LE(cart.length - 8));
          const footerPos = Number(cart.readBigUInt64LE(cart.length - 16));
          expect(footerPos + footerLen + 28).toBe(cart.length);
          const text = new Rc4(key ?? Buffer.from(manifestDefaultKey, 'hex'))
            .update(cart.subarray(footerPos, footerPos + footerLen))
            .toString('utf8');
          expect(text).toBe(f.footer_json);
          expect(cart.subarray(MANDATORY_HEADER_LENGTH, headerEnd).length).toBe(f.layout!.opt_header_len);
        }
      });
    }
  });

  describe.each(refused.map((f) => [f.id, f] as const))('refuses %s', (_id, f) => {
    const bytes = readFileSync(join(dir, f.file));

    it('fails with a typed CaRT error and leaves no output file', async () => {
      expect(isCart(bytes)).toBe(f.reference_is_cart);
      const tmp = mkdtempSync(join(tmpdir(), 'hopper-cart-'));
      try {
        const out = join(tmp, 'decoded');
        await expect(decodeCartFile(join(dir, f.file), out, { key: keyOf(f) })).rejects.toBeInstanceOf(CartError);
        expect(readdirSync(tmp)).toEqual([]);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  });

  it('rejects footer-hash-mismatch by default and never takes the footer sha256 as identity', async () => {
    const f = manifest.fixtures.find((x) => x.id === 'footer-hash-mismatch')!;
    const bytes = readFileSync(join(dir, f.file));
    await expect(decodeBytes(bytes, undefined, 65_536, 'reject')).rejects.toBeInstanceOf(CartFooterMismatchError);
    const { result } = await decodeBytes(bytes, undefined, 65_536, 'accept');
    expect(result.footerMismatch).toEqual(['sha256']);
    expect(result.sha256).toBe(f.decoded_sha256);
  });

  it('decodes a file to disk and keeps it only on success', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'hopper-cart-'));
    try {
      const result = await decodeCartFile(join(dir, 'random.cart'), join(tmp, 'out'));
      expect(result.classification).toBe('TLP:AMBER');
      expect(sha256(readFileSync(join(tmp, 'out')))).toBe(result.sha256);
      expect(readdirSync(tmp)).toEqual(['out']);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('streams zeros-1mib within a fixed bound: a reader that stops early stops the decoder', async () => {
    const bytes = readFileSync(join(dir, 'zeros-1mib.cart'));
    const decoder = createCartDecoder();
    Readable.from([bytes]).pipe(decoder.stream);
    let produced = 0;
    let largest = 0;
    for await (const chunk of decoder.stream) {
      produced += (chunk as Buffer).length;
      largest = Math.max(largest, (chunk as Buffer).length);
      if (produced > 0) break; // stop reading after the first chunk
    }
    await new Promise((r) => setTimeout(r, 50));
    // Without backpressure the whole 1 MiB would have been inflated already.
    expect(largest).toBeLessThanOrEqual(64 * 1024);
    expect(decoder.stream.readableLength).toBeLessThan(256 * 1024);
    await expect(decoder.result).rejects.toBeInstanceOf(CartError);
  });
});
