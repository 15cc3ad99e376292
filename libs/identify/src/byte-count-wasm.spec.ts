import { BYTE_COUNT_WASM_BASE64 } from './byte-count-wasm';
import { addByteCounts } from './wasm-byte-counts';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { compiledBase64 } = require('../../../scripts/build-byte-count-wasm.js') as { compiledBase64(): Promise<string> };

const countedByHand = (data: Uint8Array) => {
  const counts = new Array<number>(256).fill(0);
  for (const byte of data) counts[byte]!++;
  return counts;
};

describe('the byte-count WebAssembly', () => {
  it('byte-count-wasm.ts holds what byte-count.wat compiles to (run scripts/build-byte-count-wasm.js after editing the .wat)', async () => {
    expect(BYTE_COUNT_WASM_BASE64).toBe(await compiledBase64());
  });

  it('addByteCounts adds the counts of every byte value: tails after the last whole 8 bytes, more than 1 MiB per call, on top of earlier counts', () => {
    const data = Buffer.from(Array.from({ length: 2 * 1024 * 1024 + 13 }, (_, i) => (i * 7919) % 251));
    const totals = new Float64Array(256);
    addByteCounts(totals, data.subarray(0, 7));
    addByteCounts(totals, data.subarray(7));
    expect(Array.from(totals)).toEqual(countedByHand(data));
    addByteCounts(totals, Buffer.alloc(0));
    expect(Array.from(totals)).toEqual(countedByHand(data));
  });
});
