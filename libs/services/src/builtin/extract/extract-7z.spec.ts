import { randomBytes } from 'node:crypto';
import { ExtractService } from './extract-service';
import { children, runExtract, section, sevenZipOf } from './test-support/archive-builders';

const SEVEN_ZIP = { type: 'archive/7-zip', name: 'sample.7z' };

describe('Extract on 7z', () => {
  it('extracts the files of a plain 7z under their paths', async () => {
    const data = await sevenZipOf({ 'a.txt': 'alpha', 'dir/b.txt': 'bravo' });
    const { context, result } = await runExtract(data, SEVEN_ZIP);
    expect(children(context).sort()).toEqual([
      ['a.txt', 'alpha'],
      ['dir/b.txt', 'bravo'],
    ]);
    expect(section(result, 'Archive password found')).toBeUndefined();
    expect(section(result, 'Extracted files')?.body).toContain('2 files extracted from the 7z archive');
  });

  it('opens a password protected 7z with a default password', async () => {
    const data = await sevenZipOf({ 'mal.exe': 'MZ evil' }, { password: 'infected' });
    const { context, result } = await runExtract(data, SEVEN_ZIP);
    expect(children(context)).toEqual([['mal.exe', 'MZ evil']]);
    expect(section(result, 'Archive password found')?.tags).toEqual([{ type: 'info.password', value: 'infected' }]);
  });

  it('opens a 7z with encrypted headers using the password parameter', async () => {
    const data = await sevenZipOf({ 'hidden.txt': 'hidden' }, { password: 'p@ss word', encryptHeaders: true });
    const { context, result } = await runExtract(data, { ...SEVEN_ZIP, params: { password: 'p@ss word' } });
    expect(children(context)).toEqual([['hidden.txt', 'hidden']]);
    expect(section(result, 'Archive password found')?.tags).toEqual([{ type: 'info.password', value: 'p@ss word' }]);
  });

  it('reports a password protected 7z when no known password works', async () => {
    const plainHeaders = await runExtract(await sevenZipOf({ 'x.txt': 'x' }, { password: 'unguessable' }), SEVEN_ZIP);
    expect(plainHeaders.context.extracted).toEqual([]);
    expect(section(plainHeaders.result, 'Password protected archive')?.body).toContain('x.txt');

    const hiddenHeaders = await runExtract(await sevenZipOf({ 'y.txt': 'y' }, { password: 'unguessable', encryptHeaders: true }), SEVEN_ZIP);
    expect(hiddenHeaders.context.extracted).toEqual([]);
    expect(section(hiddenHeaders.result, 'Password protected archive')?.heuristic?.heur_id).toBe('EXTRACT.2');
  });

  it('reports a damaged 7z as unreadable, keeping the files 7za could verify', async () => {
    const first = randomBytes(20_000);
    const data = await sevenZipOf({ 'a.bin': first, 'b.bin': randomBytes(20_000) });
    // Random data is stored nearly as is: flipping a byte late in the packed stream damages b.bin only.
    const damaged = Buffer.from(data);
    damaged[32 + 30_000] = damaged[32 + 30_000]! ^ 0xff;
    const { context, result } = await runExtract(damaged, SEVEN_ZIP);
    expect(context.extracted.map((child) => child.name)).toEqual(['a.bin']);
    expect(context.extracted[0]?.data.equals(first)).toBe(true);
    expect(section(result, 'Archive could not be read')?.body).toMatch(/CRC Failed|Data Error/);
  });

  it('reports a file that is not a 7z as unreadable', async () => {
    const { context, result } = await runExtract(Buffer.from("7z\xbc\xaf'\x1cbut not really", 'latin1'), SEVEN_ZIP);
    expect(context.extracted).toEqual([]);
    expect(section(result, 'Archive could not be read')?.body).toMatch(/Can not open|Unexpected end/i);
  });

  it('enforces the limits from the listing before anything is written to disk', async () => {
    const service = new ExtractService({
      defaultPasswords: [],
      limits: { max_entries: 2, max_total_bytes: 64 * 1024, max_ratio: 100 },
    });
    const many = await runExtract(await sevenZipOf({ '1.txt': '1', '2.txt': '2', '3.txt': '3', '4.txt': '4' }), { ...SEVEN_ZIP, service });
    expect(many.context.extracted).toHaveLength(2);
    expect(section(many.result, 'Archive limits reached')?.body).toContain('max_entries');

    const zeros = await runExtract(await sevenZipOf({ 'zeros.bin': Buffer.alloc(1024 * 1024) }), { ...SEVEN_ZIP, service });
    expect(zeros.context.extracted).toEqual([]);
    const limits = section(zeros.result, 'Archive limits reached');
    expect(limits?.heuristic).toMatchObject({ heur_id: 'EXTRACT.3', score: 500 });
    expect(limits?.body).toContain('max_total_bytes');
  });
});
