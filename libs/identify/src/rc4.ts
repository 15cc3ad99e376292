/**
 * Plain RC4 keystream (no bytes dropped), as CaRT uses it. Node's OpenSSL 3 build does not offer `rc4`
 * (`crypto.getCiphers()` has no rc4 entry without the legacy provider), so it is written out here.
 * RC4 is not used for secrecy in CaRT: it only stops anti-virus and operating systems recognising the
 * content, so a plain TypeScript keystream is enough.
 */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  /** Key length 1 to 256 bytes; CaRT's reference accepts 5 to 256 (checked by the CaRT code, not here). */
  constructor(key: Uint8Array) {
    if (key.length < 1 || key.length > 256) throw new RangeError(`RC4 key must be 1 to 256 bytes, got ${key.length}`);
    const s = this.s;
    for (let k = 0; k < 256; k++) s[k] = k;
    let j = 0;
    for (let k = 0; k < 256; k++) {
      j = (j + s[k]! + key[k % key.length]!) & 0xff;
      const t = s[k]!;
      s[k] = s[j]!;
      s[j] = t;
    }
  }

  /** XORs `data` with the next bytes of the keystream into a new buffer; the keystream continues across calls. */
  update(data: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(data.length);
    const s = this.s;
    let i = this.i;
    let j = this.j;
    for (let n = 0; n < data.length; n++) {
      i = (i + 1) & 0xff;
      const si = s[i]!;
      j = (j + si) & 0xff;
      const sj = s[j]!;
      s[i] = sj;
      s[j] = si;
      out[n] = data[n]! ^ s[(si + sj) & 0xff]!;
    }
    this.i = i;
    this.j = j;
    return out;
  }
}
