import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ExtractService } from './extract-service';
import type { ExtractLimits } from './extract-options';
import { children, runExtract, section, sevenZipOf, tarOf, zipOf } from './test-support/archive-builders';

const serviceWith = (limits: Partial<ExtractLimits>): ExtractService =>
  new ExtractService({ defaultPasswords: ['infected'], limits: { max_entries: 1000, max_total_bytes: 1024 ** 3, max_ratio: 1000, ...limits } });

describe('Extract archive-bomb limits', () => {
  it('stops after max_entries files, keeping those and saying so', async () => {
    const data = await zipOf(['1', '2', '3', '4', '5'].map((n) => ({ name: `${n}.txt`, data: n })));
    const { context, result } = await runExtract(data, { type: 'archive/zip', service: serviceWith({ max_entries: 3 }) });
    expect(children(context)).toEqual([
      ['1.txt', '1'],
      ['2.txt', '2'],
      ['3.txt', '3'],
    ]);
    const limits = section(result, 'Archive limits reached');
    expect(limits?.heuristic).toMatchObject({ heur_id: 'EXTRACT.3', score: 500 });
    expect(limits?.body).toContain('max_entries: stopped after 3 files (limit 3)');
    expect(section(result, 'Extracted files')?.body).toContain('3 files extracted');
  });

  it('counts max_entries on tar too', async () => {
    const data = await tarOf(['a', 'b', 'c'].map((name) => ({ name, data: name })));
    const { context, result } = await runExtract(data, { type: 'archive/tar', service: serviceWith({ max_entries: 2 }) });
    expect(context.extracted.map((child) => child.name)).toEqual(['a', 'b']);
    expect(section(result, 'Archive limits reached')?.body).toContain('max_entries');
  });

  it('stops a gzip bomb at max_total_bytes before the whole output is written', async () => {
    // 1 MiB of zeros gzips to about 1 KiB; the limit is 64 KiB and the ratio is out of the way.
    const bomb = gzipSync(Buffer.alloc(1024 * 1024));
    const { context, result } = await runExtract(bomb, {
      type: 'archive/gzip',
      name: 'bomb.gz',
      service: serviceWith({ max_total_bytes: 64 * 1024, max_ratio: 1_000_000 }),
    });
    expect(context.extracted).toEqual([]);
    const limits = section(result, 'Archive limits reached');
    expect(limits?.body).toContain('max_total_bytes: output passed 65,536 bytes');
    expect(limits?.body).toContain('"bomb"');
  });

  it('keeps the files stored before max_total_bytes was passed', async () => {
    const small = randomBytes(1024);
    const data = await zipOf([
      { name: 'small.bin', data: small },
      { name: 'zeros.bin', data: Buffer.alloc(1024 * 1024) },
      { name: 'after.txt', data: 'never reached' },
    ]);
    const { context, result } = await runExtract(data, {
      type: 'archive/zip',
      service: serviceWith({ max_total_bytes: 64 * 1024, max_ratio: 1_000_000 }),
    });
    expect(context.extracted.map((child) => child.name)).toEqual(['small.bin']);
    expect(context.extracted[0]?.data.equals(small)).toBe(true);
    expect(section(result, 'Archive limits reached')?.body).toContain('"zeros.bin"');
  });

  it('drops only the entry that passes max_ratio, extracting the others', async () => {
    const normal = randomBytes(4096);
    const data = await zipOf([
      { name: 'zeros.bin', data: Buffer.alloc(256 * 1024) },
      { name: 'normal.bin', data: normal },
    ]);
    const { context, result } = await runExtract(data, { type: 'archive/zip', service: serviceWith({ max_ratio: 100 }) });
    expect(context.extracted.map((child) => child.name)).toEqual(['normal.bin']);
    expect(context.extracted[0]?.data.equals(normal)).toBe(true);
    const limits = section(result, 'Archive limits reached');
    expect(limits?.body).toMatch(/max_ratio: "zeros\.bin" expanded past [\d,]+ bytes from [\d,]+ compressed bytes \(ratio over 100\)/);
  });

  it('applies max_ratio to a gzip against the whole input', async () => {
    const { context, result } = await runExtract(gzipSync(Buffer.alloc(256 * 1024)), {
      type: 'archive/gzip',
      name: 'z.gz',
      service: serviceWith({ max_ratio: 50 }),
    });
    expect(context.extracted).toEqual([]);
    expect(section(result, 'Archive limits reached')?.body).toContain('max_ratio');
  });

  it('applies max_ratio to a 7z block from its listing', async () => {
    const data = await sevenZipOf({ 'zeros.bin': Buffer.alloc(256 * 1024) });
    const { context, result } = await runExtract(data, { type: 'archive/7-zip', service: serviceWith({ max_ratio: 100 }) });
    expect(context.extracted).toEqual([]);
    expect(section(result, 'Archive limits reached')?.body).toContain('max_ratio: "zeros.bin"');
  });
});
