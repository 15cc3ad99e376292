import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import * as zip from '@zip.js/zip.js';

zip.configure({ useWebWorkers: false });

/** How the entry is encrypted: AES-256 (WinZip AE-2, the default) or the legacy ZipCrypto older tools read. */
export type ZipEncryption = 'aes256' | 'zipcrypto';
export const ZIP_ENCRYPTIONS: readonly ZipEncryption[] = ['aes256', 'zipcrypto'];

/**
 * A zip holding `content` as its one entry `entryName`, encrypted with `password`, produced as it is read:
 * the entry is written with a data descriptor (sizes after the data), so nothing is buffered whole. An
 * error of `content` (or of the zipping) destroys the returned stream with it.
 */
export function encryptedZip(content: Readable, entryName: string, password: string, encryption: ZipEncryption): Readable {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = new zip.ZipWriter(writable, {
    password,
    zipCrypto: encryption === 'zipcrypto',
    encryptionStrength: 3,
    dataDescriptor: true,
    bufferedWrite: false,
  });
  const output = Readable.fromWeb(readable as unknown as WebReadableStream<Uint8Array>);
  // A reader that goes away (or fails) must not leave the content stream (a filestore read) open.
  output.once('close', () => content.destroy());
  void (async () => {
    try {
      await writer.add(entryName, Readable.toWeb(content) as unknown as ReadableStream<Uint8Array>);
      await writer.close();
    } catch (error) {
      content.destroy();
      output.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  return output;
}
