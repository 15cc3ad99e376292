import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemblylineType, identifyHead } from './identify';
import { SAMPLES } from './sample-files';
import { guessTextType } from './text-guess';

describe('identifyHead', () => {
  it.each(SAMPLES.map(([type, bytes], n) => [`${type} #${n}`, type, bytes] as const))('types %s', async (_name, type, bytes) => {
    const found = await identifyHead(bytes);
    expect({ type: found.type, magic: found.magic }).toEqual({ type, magic: expect.any(String) });
    expect(found.mime).toMatch(/^[a-z-]+\/[\w.+-]+$/);
  });

  it('calls a CaRT file archive/cart, and a file that only starts with CART not', async () => {
    const fixtures = join(__dirname, '../../../../test/fixtures/cart');
    expect((await identifyHead(readFileSync(join(fixtures, 'text.cart')))).type).toBe('archive/cart');
    expect((await identifyHead(readFileSync(join(fixtures, 'not-cart.cart')))).type).toBe('text/plain');
  });

  it('reports libmagic description and mime', async () => {
    const png = SAMPLES.find(([t]) => t === 'image/png')![1];
    const found = await identifyHead(png);
    expect(found.magic).toMatch(/^PNG image data/);
    expect(found.mime).toBe('image/png');
  });

  it('falls back to the description patterns when the mime is not trusted', () => {
    expect(assemblylineType(Buffer.from('MZ'), 'PE32 executable (DLL) (GUI) Intel 80386, for MS Windows', 'application/x-dosexec')).toBe(
      'executable/windows/dll32',
    );
    expect(assemblylineType(Buffer.from('x'), 'data', 'application/octet-stream')).toBe('unknown');
  });
});

describe('guessTextType', () => {
  it('needs more than one strong indicator', () => {
    expect(guessTextType('please eval( this sentence')).toBeNull();
  });
});
