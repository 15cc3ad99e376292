import { BYTE_COUNT_WASM_BASE64 } from './byte-count-wasm';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compiledBase64 } = require('../../../scripts/build-byte-count-wasm.js') as { compiledBase64(): Promise<string> };

// The project's TypeScript libraries have no WebAssembly declarations (no DOM lib): what this test uses of it.
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object) => { exports: { memory: { buffer: ArrayBuffer }; count(n: number): void } };
    };
  }
).WebAssembly;

describe('byte-count-wasm.ts', () => {
  it('holds what byte-count.wat compiles to (run scripts/build-byte-count-wasm.js after editing the .wat)', async () => {
    expect(BYTE_COUNT_WASM_BASE64).toBe(await compiledBase64());
  });

  it('counts every byte value of the data into its lanes, the tail after the last whole 8 bytes included', () => {
    const { memory, count } = new wasm.Instance(new wasm.Module(Buffer.from(BYTE_COUNT_WASM_BASE64, 'base64'))).exports;
    const data = Buffer.from(Array.from({ length: 1_000_003 }, (_, i) => (i * 7919) % 251));
    new Uint8Array(memory.buffer).set(data, 8192);
    count(data.length);
    const lanes = new Uint32Array(memory.buffer, 0, 2048);
    const counted = Array.from({ length: 256 }, (_, b) => [0, 1, 2, 3, 4, 5, 6, 7].reduce((sum, lane) => sum + lanes[lane * 256 + b]!, 0));
    const expected = new Array<number>(256).fill(0);
    for (const byte of data) expected[byte]!++;
    expect(counted).toEqual(expected);
  });
});
