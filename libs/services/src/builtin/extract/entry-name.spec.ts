import { MAX_ENTRY_NAME_LENGTH, sanitiseEntryName } from './entry-name';

describe('sanitiseEntryName', () => {
  it('keeps an ordinary path inside the archive', () => {
    expect(sanitiseEntryName('docs/report.pdf', 'x')).toBe('docs/report.pdf');
  });

  it('drops parent segments, leading slashes and drive letters', () => {
    expect(sanitiseEntryName('../../etc/passwd', 'x')).toBe('etc/passwd');
    expect(sanitiseEntryName('/abs/file.txt', 'x')).toBe('abs/file.txt');
    expect(sanitiseEntryName('C:\\Windows\\..\\evil.exe', 'x')).toBe('Windows/evil.exe');
    expect(sanitiseEntryName('a/./b//c', 'x')).toBe('a/b/c');
  });

  it('removes NULs and other control characters', () => {
    expect(sanitiseEntryName('evil.txt\u0000.pdf', 'x')).toBe('evil.txt.pdf');
    expect(sanitiseEntryName('line\nbreak\t.txt', 'x')).toBe('linebreak.txt');
  });

  it('uses the fallback when nothing is left', () => {
    expect(sanitiseEntryName('../..', 'extracted_1')).toBe('extracted_1');
    expect(sanitiseEntryName('', 'extracted_2')).toBe('extracted_2');
  });

  it('keeps names at most 255 characters, dropping leading folders first', () => {
    const deep = `${'d'.repeat(200)}/${'e'.repeat(100)}/file.txt`;
    expect(sanitiseEntryName(deep, 'x')).toBe(`${'e'.repeat(100)}/file.txt`);
    const long = `${'n'.repeat(400)}.docx`;
    const kept = sanitiseEntryName(long, 'x');
    expect(kept).toHaveLength(MAX_ENTRY_NAME_LENGTH);
    expect(kept.endsWith('.docx')).toBe(true);
  });

  it('never splits a surrogate pair when cutting', () => {
    const kept = sanitiseEntryName('😀'.repeat(300), 'x');
    expect(Array.from(kept)).toHaveLength(MAX_ENTRY_NAME_LENGTH);
    expect(kept).toBe('😀'.repeat(MAX_ENTRY_NAME_LENGTH));
  });
});
