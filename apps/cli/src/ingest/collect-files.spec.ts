import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectFiles } from './collect-files';

describe('collectFiles', () => {
  let cwd: string;

  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'hopper-collect-'));
    mkdirSync(join(cwd, 'samples', 'deep', 'er'), { recursive: true });
    writeFileSync(join(cwd, 'samples', 'a.exe'), 'aa');
    writeFileSync(join(cwd, 'samples', '.hidden'), 'h');
    writeFileSync(join(cwd, 'samples', 'deep', 'b.doc'), 'bbb');
    writeFileSync(join(cwd, 'samples', 'deep', 'er', 'c.exe'), 'c');
    writeFileSync(join(cwd, 'single.bin'), 's');
    // A link back up the tree: a walk that followed it would never end.
    symlinkSync(join(cwd, 'samples'), join(cwd, 'samples', 'deep', 'loop'));
  });

  it('walks folders recursively (dotfiles too, links not followed), takes files as given, each once and sorted', async () => {
    const { files, missing } = await collectFiles(['samples', 'single.bin', 'samples/a.exe'], cwd);
    expect(missing).toEqual([]);
    expect(files.map((file) => [file.display, file.size])).toEqual([
      ['samples/.hidden', 1],
      ['samples/a.exe', 2],
      ['samples/deep/b.doc', 3],
      ['samples/deep/er/c.exe', 1],
      ['single.bin', 1],
    ]);
    expect(files[1].path).toBe(join(cwd, 'samples', 'a.exe'));
    expect(files[1].mtimeMs).toEqual(expect.any(Number));
  });

  it('expands globs (** recurses) and reports what named nothing', async () => {
    const { files, missing } = await collectFiles(['samples/**/*.exe', 'nope.txt', '*.none'], cwd);
    expect(files.map((file) => file.display)).toEqual(['samples/a.exe', 'samples/deep/er/c.exe']);
    expect(missing).toEqual(['nope.txt', '*.none']);
  });
});
