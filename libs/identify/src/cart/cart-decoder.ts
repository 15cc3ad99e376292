import { createHash } from 'node:crypto';
import { Duplex, Readable } from 'node:stream';
import { createInflate } from 'node:zlib';
import { Rc4 } from '../rc4';
import { CartCorruptError, CartError, CartFooterMismatchError, CartTruncatedError } from './cart-errors';
import {
  checkKeyLength,
  MANDATORY_FOOTER_LENGTH,
  MANDATORY_HEADER_LENGTH,
  parseMandatoryFooter,
  parseMandatoryHeader,
} from './cart-format';
import { CartJsonObject, decryptCartJson } from './cart-json';
import { cartMetadata, CartMetadata } from './cart-metadata';

export interface CartDecodeOptions {
  /** A private key; without it the key stored in the header is used (never assumed to be the default). */
  key?: Uint8Array;
  /** What to do when the footer's md5/sha1/sha256/length contradict the decoded bytes (default: reject). */
  onFooterMismatch?: 'reject' | 'accept';
  /** Largest optional header accepted, in bytes (it is held in memory). Default 1 MiB. */
  maxHeaderLength?: number;
  /** Largest optional footer accepted; the decoder holds back this much + 28 bytes. Default 64 KiB. */
  maxFooterLength?: number;
}

export interface CartDecodeResult extends CartMetadata {
  /** Digests and size of the decoded bytes: the file's identity, never taken from the footer. */
  md5: string;
  sha1: string;
  sha256: string;
  size: number;
  /** Footer fields that contradicted the content (only non-empty with `onFooterMismatch: 'accept'`). */
  footerMismatch: string[];
}

export interface CartDecoder {
  /** Write CaRT bytes in, read the original out. Output is provisional until the stream ends without error. */
  stream: Duplex;
  /** Settles when the stream ends: metadata and digests, or the CaRT error. */
  result: Promise<CartDecodeResult>;
}

/** Collects incoming chunks until a wanted number of bytes is available. */
class ByteQueue {
  private parts: Buffer[] = [];
  length = 0;
  push(chunk: Buffer): void {
    this.parts.push(chunk);
    this.length += chunk.length;
  }
  take(n: number): Buffer {
    const all = Buffer.concat(this.parts, this.length);
    this.parts = [all.subarray(n)];
    this.length -= n;
    return all.subarray(0, n);
  }
  drain(): Buffer {
    return this.take(this.length);
  }
}

interface ParseState {
  header: CartJsonObject;
  footer: CartJsonObject | null;
}

/**
 * Yields the decrypted body (still zlib-compressed), parsing the headers on the way and the footers at the
 * end. The footers' size is only known at the end, so the last `28 + maxFooterLength` bytes are held back.
 */
async function* decryptedBody(
  source: AsyncIterable<Buffer | string>,
  options: CartDecodeOptions,
  state: ParseState,
): AsyncGenerator<Buffer> {
  const maxHeader = options.maxHeaderLength ?? 1024 * 1024;
  const maxFooter = options.maxFooterLength ?? 64 * 1024;
  const holdBack = MANDATORY_FOOTER_LENGTH + maxFooter;
  const queue = new ByteQueue();
  let total = 0;
  // Widened on purpose: `advance` moves the phase on, which TypeScript's narrowing cannot see.
  let phase = 'mandatory' as 'mandatory' | 'optional' | 'body';
  let key: Buffer | null = null;
  let optHeaderLength = 0;
  let body: Rc4 | null = null;

  const advance = (): Buffer | null => {
    if (phase === 'mandatory' && queue.length >= MANDATORY_HEADER_LENGTH) {
      const mandatory = parseMandatoryHeader(queue.take(MANDATORY_HEADER_LENGTH));
      if (options.key) checkKeyLength(options.key);
      key = options.key ? Buffer.from(options.key) : mandatory.key;
      optHeaderLength = mandatory.optHeaderLength;
      if (optHeaderLength > maxHeader) throw new CartCorruptError(`CaRT: optional header of ${optHeaderLength} bytes is over the limit`);
      phase = 'optional';
    }
    if (phase === 'optional' && queue.length >= optHeaderLength) {
      state.header = decryptCartJson(queue.take(optHeaderLength), key!, 'header');
      body = new Rc4(key!);
      phase = 'body';
    }
    if (phase === 'body' && queue.length > holdBack) return body!.update(queue.take(queue.length - holdBack));
    return null;
  };

  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    total += chunk.length;
    queue.push(chunk);
    const out = advance();
    if (out && out.length > 0) yield out;
  }

  if (phase === 'mandatory') parseMandatoryHeader(queue.drain()); // throws NotCartError (too short)
  if (phase === 'optional') throw new CartTruncatedError('CaRT: input ends inside the optional header');
  const rest = queue.drain();
  if (rest.length < MANDATORY_FOOTER_LENGTH) throw new CartCorruptError('CaRT: could not validate mandatory footer (input too short)');
  const { optFooterPos, optFooterLength } = parseMandatoryFooter(rest.subarray(rest.length - MANDATORY_FOOTER_LENGTH));
  const bodyStart = MANDATORY_HEADER_LENGTH + optHeaderLength;
  if (optFooterLength > maxFooter) throw new CartCorruptError(`CaRT: optional footer of ${optFooterLength} bytes is over the limit`);
  // Hopper is stricter than the reference here: the footer must sit right before the mandatory footer.
  if (optFooterPos + optFooterLength + MANDATORY_FOOTER_LENGTH !== total || optFooterPos < bodyStart) {
    throw new CartCorruptError('CaRT: optional footer position does not match the file size (truncated or altered)');
  }
  const footerStart = rest.length - MANDATORY_FOOTER_LENGTH - optFooterLength;
  state.footer = decryptCartJson(rest.subarray(footerStart, footerStart + optFooterLength), key!, 'footer');
  const lastBody = body!.update(rest.subarray(0, footerStart));
  if (lastBody.length > 0) yield lastBody;
}

/** Compares the footer's digests/length (where present) with the decoded bytes; returns the fields that differ. */
function footerMismatches(footer: CartJsonObject, actual: { md5: string; sha1: string; sha256: string; size: number }): string[] {
  const wrong: string[] = [];
  for (const field of ['md5', 'sha1', 'sha256'] as const) {
    const stated = footer[field];
    if (stated !== undefined && String(stated).toLowerCase() !== actual[field]) wrong.push(field);
  }
  if (footer['length'] !== undefined && String(footer['length']) !== String(actual.size)) wrong.push('length');
  return wrong;
}

/**
 * Streaming CaRT decoder: header check, RC4 per part with the given or stored key, zlib inflate of the
 * body, footer parse and verification. Memory stays bounded (held-back footer window + zlib buffers)
 * whatever the file's size. Like the reference, it writes output before the footer has been checked, so a
 * caller must stage the output and keep it only when `result` resolves (see `decodeCartFile`).
 */
export function createCartDecoder(options: CartDecodeOptions = {}): CartDecoder {
  let settled = false;
  let resolveResult!: (r: CartDecodeResult) => void;
  let rejectResult!: (e: Error) => void;
  const result = new Promise<CartDecodeResult>((resolve, reject) => ((resolveResult = resolve), (rejectResult = reject)));
  const settle = {
    resolve: (r: CartDecodeResult) => ((settled = true), resolveResult(r)),
    reject: (e: Error) => ((settled = true), rejectResult(e)),
  };
  result.catch(() => undefined); // callers that only watch the stream must not see an unhandled rejection

  const stream = Duplex.from(async function* (source: AsyncIterable<Buffer | string>) {
    const state: ParseState = { header: {}, footer: null };
    const md5 = createHash('md5');
    const sha1 = createHash('sha1');
    const sha256 = createHash('sha256');
    let size = 0;
    try {
      const inflate = createInflate();
      const compressed = Readable.from(decryptedBody(source, options, state));
      compressed.on('error', (err) => inflate.destroy(err));
      compressed.pipe(inflate);
      for await (const out of inflate as AsyncIterable<Buffer>) {
        md5.update(out);
        sha1.update(out);
        sha256.update(out);
        size += out.length;
        yield out;
      }
      if (state.footer === null) throw new CartCorruptError('CaRT: body ended before the footer was read');
      const digests = { md5: md5.digest('hex'), sha1: sha1.digest('hex'), sha256: sha256.digest('hex'), size };
      const mismatch = footerMismatches(state.footer, digests);
      if (mismatch.length > 0 && (options.onFooterMismatch ?? 'reject') === 'reject') throw new CartFooterMismatchError(mismatch);
      settle.resolve({ ...cartMetadata(state.header, state.footer), ...digests, footerMismatch: mismatch });
    } catch (err) {
      const error = err instanceof CartError ? err : new CartCorruptError(`CaRT: unable to decompress payload (${(err as Error).message})`);
      settle.reject(error);
      throw error;
    } finally {
      // The reader went away (destroyed or errored downstream) before the end.
      if (!settled) settle.reject(new CartError('CaRT: decoding was aborted before the end'));
    }
  });
  return { stream, result };
}
