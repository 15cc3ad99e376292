import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { children, gzipOf, runExtract, section, tarOf } from './test-support/archive-builders';

describe('Extract on gzip', () => {
  it('names the child after the FNAME stored in the header', async () => {
    const { context } = await runExtract(gzipOf('original bytes', 'original.doc'), { type: 'archive/gzip', name: 'upload.bin' });
    expect(children(context)).toEqual([['original.doc', 'original bytes']]);
  });

  it('names the child after the archive without FNAME: .gz dropped, .tgz made .tar', async () => {
    const logs = await runExtract(gzipSync('log line\n'), { type: 'archive/gzip', name: 'server.log.gz' });
    expect(children(logs.context)).toEqual([['server.log', 'log line\n']]);
    const tgz = await runExtract(gzipSync('tar bytes'), { type: 'archive/gzip', name: 'bundle.tgz' });
    expect(tgz.context.extracted.map((child) => child.name)).toEqual(['bundle.tar']);
  });

  it('gunzips concatenated members into one file, as gzip does', async () => {
    const { context } = await runExtract(Buffer.concat([gzipSync('first '), gzipSync('second')]), { type: 'archive/gzip', name: 'x.gz' });
    expect(children(context)).toEqual([['x', 'first second']]);
  });

  it('reports a truncated gzip as unreadable without throwing, storing no partial file', async () => {
    const whole = gzipSync(randomBytes(64 * 1024));
    const { context, result } = await runExtract(whole.subarray(0, whole.length / 2), { type: 'archive/gzip', name: 'cut.gz' });
    expect(context.extracted).toEqual([]);
    const unreadable = section(result, 'Archive could not be read');
    expect(unreadable?.heuristic?.heur_id).toBe('EXTRACT.4');
    expect(unreadable?.body).toMatch(/unexpected end of file/i);
  });
});

describe('Extract on tar', () => {
  it('extracts regular files only: no directory, symlink, hard link or device', async () => {
    const data = await tarOf([
      { name: 'pkg', type: 'directory' },
      { name: 'pkg/run.sh', data: '#!/bin/sh\necho hi\n' },
      { name: 'pkg/passwd', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'pkg/hard', type: 'link', linkname: 'pkg/run.sh' },
      { name: 'pkg/null', type: 'character-device', devmajor: 1, devminor: 3 },
      { name: 'pkg/notes.txt', data: 'notes' },
    ]);
    const { context, result } = await runExtract(data, { type: 'archive/tar', name: 'pkg.tar' });
    expect(children(context)).toEqual([
      ['pkg/run.sh', '#!/bin/sh\necho hi\n'],
      ['pkg/notes.txt', 'notes'],
    ]);
    expect(section(result, 'Extracted files')?.body).toContain('2 files extracted from the tar archive');
  });

  it('reports a truncated tar as unreadable, keeping the files stored before the damage', async () => {
    const data = await tarOf([
      { name: 'first.txt', data: 'first' },
      { name: 'second.bin', data: randomBytes(8192) },
    ]);
    // Cut inside the second file's data: the first file was complete.
    const { context, result } = await runExtract(data.subarray(0, 512 + 512 + 512 + 4096), { type: 'archive/tar', name: 'cut.tar' });
    expect(children(context)).toEqual([['first.txt', 'first']]);
    expect(section(result, 'Archive could not be read')).toBeDefined();
  });
});
