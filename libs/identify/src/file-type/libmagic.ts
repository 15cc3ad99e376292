import { WASMagic, WASMagicFlags } from 'wasmagic';

/** libmagic's two answers for a buffer: the description (`file`) and the MIME type (`file --mime-type`). */
export interface Libmagic {
  describe(head: Uint8Array): string;
  mimeType(head: Uint8Array): string;
}

let instance: Promise<Libmagic> | null = null;

/**
 * libmagic compiled to WebAssembly (the `wasmagic` package ships the .wasm and its magic database, so
 * nothing is fetched at run time). Loaded once per process; a buffer is checked synchronously.
 */
export function loadLibmagic(): Promise<Libmagic> {
  instance ??= (async () => {
    const [describe, mime] = await Promise.all([
      WASMagic.create({ flags: WASMagicFlags.NONE }),
      WASMagic.create({ flags: WASMagicFlags.MIME_TYPE }),
    ]);
    return {
      describe: (head: Uint8Array) => describe.detect(head),
      mimeType: (head: Uint8Array) => mime.detect(head),
    };
  })();
  instance.catch(() => (instance = null)); // let a later call retry
  return instance;
}
