import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CartKeyError, CartTruncatedError, NotCartError } from './cart-errors';
import { serialiseCartJson } from './cart-json';
import { readCartHeader } from './read-cart-header';

const dir = join(__dirname, '../../../../test/fixtures/cart');

describe('readCartHeader', () => {
  it('reads name and classification from the head, before decoding', () => {
    const head = readFileSync(join(dir, 'random.cart')).subarray(0, 4096);
    expect(readCartHeader(head).header).toEqual({ classification: 'TLP:AMBER', name: 'random.bin' });
  });

  it('needs the private key when the key field is zeros', () => {
    const head = readFileSync(join(dir, 'custom-key.cart'));
    expect(() => readCartHeader(head)).toThrow(CartKeyError);
    expect(readCartHeader(head, Buffer.from('8b1f0e6d3c2a4f50617283940a1b2c3d', 'hex')).header).toEqual({ name: 'private.txt' });
  });

  it('says what is wrong', () => {
    expect(() => readCartHeader(readFileSync(join(dir, 'not-cart.cart')))).toThrow(NotCartError);
    expect(() => readCartHeader(readFileSync(join(dir, 'text.cart')).subarray(0, 40))).toThrow(CartTruncatedError);
  });
});

describe('serialiseCartJson', () => {
  it('writes compact, sorted, ASCII-only JSON as the reference does', () => {
    expect(serialiseCartJson({ b: 1, a: { d: [true, null, 0.5], c: 'é\u007f🦠' } })).toBe(
      '{"a":{"c":"\\u00e9\\u007f\\ud83e\\udda0","d":[true,null,0.5]},"b":1}',
    );
  });
});
