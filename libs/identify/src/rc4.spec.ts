import { Rc4 } from './rc4';

describe('Rc4', () => {
  // Test vectors from RFC 6229 (offset 0) and the classic "Key"/"Plaintext" example.
  it('matches the classic vectors', () => {
    expect(new Rc4(Buffer.from('Key')).update(Buffer.from('Plaintext')).toString('hex')).toBe('bbf316e8d940af0ad3');
    expect(new Rc4(Buffer.from('Wiki')).update(Buffer.from('pedia')).toString('hex')).toBe('1021bf0420');
    expect(new Rc4(Buffer.from('0102030405', 'hex')).update(Buffer.alloc(16)).toString('hex')).toBe(
      'b2396305f03dc027ccc3524a0a1118a8',
    );
  });

  it('continues one keystream across calls however the data is chunked', () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, k) => k & 0xff));
    const whole = new Rc4(Buffer.from('chunking')).update(data);
    const rc4 = new Rc4(Buffer.from('chunking'));
    const parts = [rc4.update(data.subarray(0, 1)), rc4.update(data.subarray(1, 333)), rc4.update(data.subarray(333))];
    expect(Buffer.concat(parts).equals(whole)).toBe(true);
  });

  it('refuses empty and over-long keys', () => {
    expect(() => new Rc4(Buffer.alloc(0))).toThrow(RangeError);
    expect(() => new Rc4(Buffer.alloc(257))).toThrow(RangeError);
  });
});
