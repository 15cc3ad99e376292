import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
// The module object itself (a namespace import would be a copy), so the spy reaches the service's calls.
import os from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { ProducedFile, StoredChild } from '../../contract/service-task';
import { InMemoryContext } from '../../testing/in-memory-context';
import { ChildStoreError } from './errors';
import { ExtractService } from './extract-service';
import { TEMP_PREFIX } from './temp-space';
import { children, gzipOf, runExtract, runIn, section, sevenZipOf, tarOf, zipOf } from './test-support/archive-builders';

/** Aborts the task as soon as `count` files have been stored. */
class AbortAfterContext extends InMemoryContext {
  constructor(
    data: Buffer,
    type: string,
    private readonly count: number,
  ) {
    super(data, InMemoryContext.forFile(data, { type }).task);
  }

  override async addExtracted(file: ProducedFile): Promise<StoredChild> {
    const stored = await super.addExtracted(file);
    if (this.extracted.length >= this.count) this.abort();
    return stored;
  }
}

describe('Extract on damaged and hostile archives', () => {
  it('reports a corrupt zip as unreadable without throwing', async () => {
    const { context, result } = await runExtract(randomBytes(4096), { type: 'archive/zip' });
    expect(context.extracted).toEqual([]);
    const unreadable = section(result, 'Archive could not be read');
    expect(unreadable?.heuristic).toMatchObject({ heur_id: 'EXTRACT.4', score: 10 });
    expect(unreadable?.body).toMatch(/end of central directory/i);
  });

  it('keeps the good entries of a zip with one damaged entry, naming the damaged one', async () => {
    const marker = Buffer.from('DAMAGE-ME-'.repeat(20));
    const data = await zipOf([
      { name: 'good.txt', data: 'good' },
      { name: 'bad.txt', data: marker, stored: true },
      { name: 'later.txt', data: 'later' },
    ]);
    const at = data.indexOf(marker);
    data[at + 5] = data[at + 5]! ^ 0xff;
    const { context, result } = await runExtract(data, { type: 'archive/zip' });
    expect(children(context)).toEqual([
      ['good.txt', 'good'],
      ['later.txt', 'later'],
    ]);
    expect(section(result, 'Archive could not be read')?.body).toMatch(/^bad\.txt: .*crc/im);
  });

  it('sanitises traversal, absolute, drive-letter, NUL and overlong entry names', async () => {
    const long = `${'x'.repeat(300)}.txt`;
    const data = await zipOf([
      { name: '../../etc/cron.d/evil', data: '1' },
      { name: '/abs/path.txt', data: '2' },
      { name: 'C:\\Windows\\System32\\drop.dll', data: '3' },
      { name: 'nul\u0000.txt', data: '4' },
      { name: long, data: '5' },
    ]);
    const { context } = await runExtract(data, { type: 'archive/zip' });
    const names = context.extracted.map((child) => child.name);
    expect(names.slice(0, 4)).toEqual(['etc/cron.d/evil', 'abs/path.txt', 'Windows/System32/drop.dll', 'nul.txt']);
    expect(names[4]).toHaveLength(255);
    expect(names[4]?.endsWith('.txt')).toBe(true);

    const tar = await runExtract(await tarOf([{ name: '../../../root/.ssh/authorized_keys', data: 'key' }]), { type: 'archive/tar' });
    expect(tar.context.extracted.map((child) => child.name)).toEqual(['root/.ssh/authorized_keys']);
    const gz = await runExtract(gzipOf('x', '/etc/passwd'), { type: 'archive/gzip' });
    expect(gz.context.extracted.map((child) => child.name)).toEqual(['etc/passwd']);
  });

  it('falls back to the file signature when the type names no archive', async () => {
    const { context } = await runExtract(gzipSync('sniffed'), { type: 'unknown', name: 'blob.gz' });
    expect(children(context)).toEqual([['blob', 'sniffed']]);
    const text = await runExtract(Buffer.from('just text'), { type: 'text/plain' });
    expect(text.context.extracted).toEqual([]);
    expect(section(text.result, 'Archive could not be read')?.body).toContain('not a zip, gzip, tar or 7z archive');
  });

  it('hands the dispatcher no more than max_total_bytes of a bomb before destroying its stream', async () => {
    let received = 0;
    class CountingContext extends InMemoryContext {
      override async addExtracted(file: ProducedFile): Promise<StoredChild> {
        for await (const chunk of file.stream) received += (chunk as Buffer).length;
        throw new Error('unreachable: the stream should have failed');
      }
    }
    const bomb = gzipSync(Buffer.alloc(1024 * 1024));
    const context = new CountingContext(bomb, InMemoryContext.forFile(bomb, { type: 'archive/gzip' }).task);
    const service = new ExtractService({ defaultPasswords: [], limits: { max_entries: 10, max_total_bytes: 64 * 1024, max_ratio: 1e6 } });
    const result = await runIn(context, service);
    expect(received).toBeLessThanOrEqual(64 * 1024);
    expect(section(result, 'Archive limits reached')?.body).toContain('max_total_bytes');
  });

  it('fails, rather than reporting, when the dispatcher cannot store a file', async () => {
    class FailingContext extends InMemoryContext {
      override async addExtracted(): Promise<StoredChild> {
        throw new Error('filestore unavailable');
      }
    }
    const data = await zipOf([{ name: 'a.txt', data: 'a' }]);
    const context = new FailingContext(data, InMemoryContext.forFile(data, { type: 'archive/zip' }).task);
    await expect(new ExtractService().execute(context)).rejects.toThrow(ChildStoreError);
    await expect(new ExtractService().execute(context)).rejects.toThrow(/filestore unavailable/);
  });
});

describe('Extract and its task being aborted', () => {
  it('stops between zip entries and throws', async () => {
    const data = await zipOf(['a', 'b', 'c'].map((name) => ({ name, data: name })));
    const context = new AbortAfterContext(data, 'archive/zip', 1);
    await expect(new ExtractService().execute(context)).rejects.toThrow('timed out');
    expect(context.extracted.map((child) => child.name)).toEqual(['a']);
  });

  it('stops between 7z files and throws', async () => {
    const data = await sevenZipOf({ 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' });
    const context = new AbortAfterContext(data, 'archive/7-zip', 1);
    await expect(new ExtractService().execute(context)).rejects.toThrow('timed out');
    expect(context.extracted).toHaveLength(1);
  });

  it('stops inside a long copy: the stream being stored fails and nothing is stored', async () => {
    let received = 0;
    class AbortWhileCopyingContext extends InMemoryContext {
      override async addExtracted(file: ProducedFile): Promise<StoredChild> {
        const chunks: Buffer[] = [];
        for await (const chunk of file.stream) {
          chunks.push(chunk as Buffer);
          received += (chunk as Buffer).length;
          if (chunks.length === 1) this.abort();
        }
        return super.addExtracted({ ...file, stream: Readable.from(chunks) });
      }
    }
    const data = gzipSync(Buffer.alloc(4 * 1024 * 1024, 'a'));
    const context = new AbortWhileCopyingContext(data, InMemoryContext.forFile(data, { type: 'archive/gzip' }).task);
    await expect(new ExtractService().execute(context)).rejects.toThrow('timed out');
    expect(context.extracted).toEqual([]);
    expect(received).toBeLessThan(4 * 1024 * 1024);
  });

  it('does not start on an already aborted task', async () => {
    const data = gzipSync('x');
    const context = InMemoryContext.forFile(data, { type: 'archive/gzip' });
    context.abort();
    await expect(new ExtractService().execute(context)).rejects.toThrow('timed out');
    expect(context.extracted).toEqual([]);
  });
});

describe('Extract temporary files', () => {
  // A private directory stands in for os.tmpdir() here, so no other test's working directories can appear.
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(os.tmpdir(), 'hopper-spec-tmp-'));
    jest.spyOn(os, 'tmpdir').mockReturnValue(root);
  });
  afterAll(() => {
    jest.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });
  const leftovers = (): string[] => readdirSync(os.tmpdir()).filter((name) => name.startsWith(TEMP_PREFIX));

  it('removes its working directories on success, failure and abort', async () => {
    expect(os.tmpdir()).toBe(root);
    const zip = await zipOf([{ name: 'a.txt', data: 'a' }, { name: 'b.txt', data: 'b' }]);
    const sevenZip = await sevenZipOf({ 'a.txt': 'a', 'b.txt': 'b' });
    const locked = await sevenZipOf({ 'x.txt': 'x' }, { password: 'unguessable' });
    expect(leftovers()).toEqual([]);

    // While a zip is being extracted its spooled copy is there: the check below is not vacuous.
    const during: string[][] = [];
    class WatchingContext extends InMemoryContext {
      override addExtracted(file: ProducedFile): Promise<StoredChild> {
        during.push(leftovers());
        return super.addExtracted(file);
      }
    }
    await runIn(new WatchingContext(zip, InMemoryContext.forFile(zip, { type: 'archive/zip' }).task));
    expect(during).toEqual([[expect.stringMatching(/^hopper-extract-/)], [expect.stringMatching(/^hopper-extract-/)]]);
    await runExtract(randomBytes(1000), { type: 'archive/zip' });
    await runExtract(sevenZip, { type: 'archive/7-zip' });
    await runExtract(locked, { type: 'archive/7-zip' });
    await runExtract(randomBytes(1000), { type: 'archive/7-zip' });
    await expect(new ExtractService().execute(new AbortAfterContext(zip, 'archive/zip', 1))).rejects.toThrow();
    await expect(new ExtractService().execute(new AbortAfterContext(sevenZip, 'archive/7-zip', 1))).rejects.toThrow();

    expect(leftovers()).toEqual([]);
  });
});
