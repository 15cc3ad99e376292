import { Duplex, Readable } from 'node:stream';
import { createDeflate } from 'node:zlib';
import { OnePassHasher } from '../one-pass-hasher';
import type { FileDigests } from '../file-digests';
import { Rc4 } from '../rc4';
import {
  checkKeyLength,
  DEFAULT_CART_KEY,
  MANDATORY_FOOTER_LENGTH,
  MANDATORY_HEADER_LENGTH,
  packMandatoryFooter,
  packMandatoryHeader,
  PRIVATE_KEY_PLACEHOLDER,
} from './cart-format';
import { CartJsonObject, encryptCartJson } from './cart-json';

export interface CartEncodeOptions {
  /** Optional header (e.g. `{name, classification}`); left out of the file when empty. */
  header?: CartJsonObject;
  /** Caller fields for the optional footer, next to the digests. */
  footer?: CartJsonObject;
  /**
   * A private key (5 to 256 bytes). As in the reference, it is not stored: the header's key field holds
   * 16 zero bytes and the reader must be given the key. Default: the standard key, stored in the header.
   */
  key?: Uint8Array;
  /** Add md5/sha1/sha256/length of the original to the footer (default true, as the reference does). */
  digests?: boolean;
  /** zlib level; the reference writes 1. */
  level?: number;
}

export interface CartEncodeResult {
  /** Digests of the original. */
  original: FileDigests;
  /** Size of the CaRT written. */
  cartSize: number;
}

export interface CartEncoder {
  /** Write the original in, read CaRT bytes out. */
  stream: Duplex;
  result: Promise<CartEncodeResult>;
}

/**
 * Streaming CaRT encoder in the reference's byte layout: 38-byte header, RC4 optional header, RC4 of one
 * zlib stream, RC4 optional footer, 28-byte footer. Each encrypted part restarts the keystream. Digests
 * are computed while the body streams, so the footer needs no second pass.
 */
export function createCartEncoder(options: CartEncodeOptions = {}): CartEncoder {
  if (options.key) checkKeyLength(options.key);
  const key = options.key ? Buffer.from(options.key) : DEFAULT_CART_KEY;
  const keyField = options.key ? PRIVATE_KEY_PLACEHOLDER : DEFAULT_CART_KEY;
  let settled = false;
  let resolveResult!: (r: CartEncodeResult) => void;
  let rejectResult!: (e: Error) => void;
  const result = new Promise<CartEncodeResult>((resolve, reject) => ((resolveResult = resolve), (rejectResult = reject)));
  const settle = {
    resolve: (r: CartEncodeResult) => ((settled = true), resolveResult(r)),
    reject: (e: Error) => ((settled = true), rejectResult(e)),
  };
  result.catch(() => undefined);

  const stream = Duplex.from(async function* (source: AsyncIterable<Buffer | string>) {
    try {
      const header = options.header ?? {};
      const optHeader = Object.keys(header).length > 0 ? encryptCartJson(header, key) : Buffer.alloc(0);
      yield packMandatoryHeader(keyField, optHeader.length);
      if (optHeader.length > 0) yield optHeader;
      let written = MANDATORY_HEADER_LENGTH + optHeader.length;

      const hasher = new OnePassHasher();
      const deflate = createDeflate({ level: options.level ?? 1 });
      const input = Readable.from(source);
      input.on('error', (err) => deflate.destroy(err));
      hasher.on('error', (err) => deflate.destroy(err));
      input.pipe(hasher).pipe(deflate);
      const rc4 = new Rc4(key);
      for await (const compressed of deflate as AsyncIterable<Buffer>) {
        const out = rc4.update(compressed);
        written += out.length;
        yield out;
      }

      const original = hasher.fileDigests();
      const footer: CartJsonObject = { ...(options.footer ?? {}) };
      if (options.digests ?? true) {
        Object.assign(footer, { md5: original.md5, sha1: original.sha1, sha256: original.sha256, length: String(original.size) });
      }
      const optFooter = Object.keys(footer).length > 0 ? encryptCartJson(footer, key) : Buffer.alloc(0);
      const footerPos = written;
      if (optFooter.length > 0) yield optFooter;
      yield packMandatoryFooter(footerPos, optFooter.length);
      settle.resolve({ original, cartSize: footerPos + optFooter.length + MANDATORY_FOOTER_LENGTH });
    } catch (err) {
      settle.reject(err as Error);
      throw err;
    } finally {
      if (!settled) settle.reject(new Error('CaRT: encoding was aborted before the end'));
    }
  });
  return { stream, result };
}
