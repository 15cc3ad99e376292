import { SevenZipListingParser, type SevenZipEntry } from './seven-zip-listing';

// Output of p7zip 16.02 `7za l -slt` (trimmed banner).
const LISTING = `
Listing archive: plain.7z

--
Path = plain.7z
Type = 7z
Physical Size = 210
Solid = +
Blocks = 1

----------
Path = d
Size = 0
Packed Size = 0
Attributes = D_ drwxr-xr-x
CRC = 
Encrypted = -
Method = 
Block = 

Path = a.txt
Size = 6
Packed Size = 27
Attributes = A_ -rw-r--r--
CRC = 363A3020
Encrypted = +
Method = LZMA2:12 7zAES:19
Block = 0

Path = d/link
Size = 11
Packed Size = 
Attributes = A_ lrwxrwxrwx
Encrypted = -
Block = 0

Path = win.txt
Size = 3
Attributes = A
Block = 1
`;

function parse(text: string): SevenZipEntry[] {
  const parser = new SevenZipListingParser();
  const entries: SevenZipEntry[] = [];
  for (const line of text.split('\n')) {
    const entry = parser.push(line);
    if (entry) entries.push(entry);
  }
  const last = parser.end();
  if (last) entries.push(last);
  return entries;
}

describe('SevenZipListingParser', () => {
  it('skips the archive block and reads each entry', () => {
    expect(parse(LISTING)).toEqual([
      { path: 'd', size: 0, packedSize: 0, block: null, encrypted: false, kind: 'directory' },
      { path: 'a.txt', size: 6, packedSize: 27, block: 0, encrypted: true, kind: 'file' },
      { path: 'd/link', size: 11, packedSize: null, block: 0, encrypted: false, kind: 'link' },
      { path: 'win.txt', size: 3, packedSize: null, block: 1, encrypted: false, kind: 'file' },
    ]);
  });

  it('keeps " = " inside a path', () => {
    expect(parse('----------\nPath = a = b.txt\nSize = 1\n\n')[0]?.path).toBe('a = b.txt');
  });
});
