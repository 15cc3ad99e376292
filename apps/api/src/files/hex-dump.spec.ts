import { hexBytes, hexDump } from './hex-dump';

describe('hexDump (Assemblyline format)', () => {
  it("renders the docstring's example: full line, then a short line padded to the same column", () => {
    const data = Buffer.from('HTTP/1.1 404 Not Found\r\nCont', 'latin1');
    expect(hexDump(data)).toBe(
      '00000000:  48 54 54 50 2f 31 2e 31 20 34 30 34 20 4e 6f 74   HTTP/1.1 404 Not\n' +
        // 12 bytes: padded by 12 spaces to the 47-column hex field, 3 spaces, then the ASCII (which starts with a space).
        `00000010:  20 46 6f 75 6e 64 0d 0a 43 6f 6e 74${' '.repeat(12)}${' '.repeat(3)} Found..Cont`,
    );
  });

  it('shows bytes outside printable ASCII as dots, and offsets in upper-case hex', () => {
    const data = Buffer.alloc(0x1a1, 0xff);
    data[0x1a0] = 0x7e;
    const lines = hexDump(data).split('\n');
    expect(lines).toHaveLength(27);
    expect(lines[0]).toBe(`00000000:  ${Array(16).fill('ff').join(' ')}   ${'.'.repeat(16)}`);
    expect(lines[26]).toBe(`000001A0:  7e${' '.repeat(45)}   ~`);
  });

  it('takes another number of bytes per line', () => {
    expect(hexDump(Buffer.from('abcdef'), 4)).toBe('00000000:  61 62 63 64   abcd\n00000004:  65 66         ef');
  });

  it('gives an empty string for no bytes', () => {
    expect(hexDump(Buffer.alloc(0))).toBe('');
  });

  it('bytes only: lower-case pairs separated by spaces', () => {
    expect(hexBytes(Buffer.from([0x4d, 0x5a, 0x90, 0x00]))).toBe('4d 5a 90 00');
  });
});
