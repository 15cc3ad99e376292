import { children, runExtract, section, zipOf } from './test-support/archive-builders';

const ZIP = { type: 'archive/zip', name: 'sample.zip' };

describe('Extract on zip', () => {
  it('extracts each file under its path in the archive, bytes unchanged, and lists them', async () => {
    const data = await zipOf([
      { name: 'readme.txt', data: 'hello' },
      { name: 'bin/', directory: true },
      { name: 'bin/payload.exe', data: Buffer.from('MZ\x90\x00payload', 'latin1') },
    ]);
    const { context, result } = await runExtract(data, ZIP);
    expect(children(context)).toEqual([
      ['readme.txt', 'hello'],
      ['bin/payload.exe', 'MZ\x90\x00payload'],
    ]);
    const listed = section(result, 'Extracted files');
    expect(listed?.heuristic?.heur_id).toBe('EXTRACT.1');
    expect(listed?.body).toContain('2 files extracted');
    expect(listed?.body).toContain('bin/payload.exe: 11 bytes');
    expect(listed?.tags).toEqual([
      { type: 'file.name.extracted', value: 'readme.txt' },
      { type: 'file.name.extracted', value: 'bin/payload.exe' },
    ]);
  });

  it('extracts a nested zip as a file, one level only', async () => {
    const inner = await zipOf([{ name: 'deep.txt', data: 'deep' }]);
    const { context } = await runExtract(await zipOf([{ name: 'inner.zip', data: inner }]), ZIP);
    expect(context.extracted.map((child) => child.name)).toEqual(['inner.zip']);
    expect(context.extracted[0]?.data.equals(inner)).toBe(true);
  });

  it('skips symlinks and empty files', async () => {
    const data = await zipOf([
      { name: 'link', data: '/etc/passwd', symlink: true },
      { name: 'empty.txt', data: '' },
      { name: 'real.txt', data: 'real' },
    ]);
    const { context, result } = await runExtract(data, ZIP);
    expect(children(context)).toEqual([['real.txt', 'real']]);
    expect(section(result, 'Extracted files')?.body).toContain('1 empty file skipped');
  });

  it('opens an AES zip with the default password "infected" and says so', async () => {
    const data = await zipOf([
      { name: 'mal.exe', data: 'MZ evil', password: 'infected' },
      { name: 'note.txt', data: 'note', password: 'infected' },
    ]);
    const { context, result } = await runExtract(data, ZIP);
    expect(children(context)).toEqual([
      ['mal.exe', 'MZ evil'],
      ['note.txt', 'note'],
    ]);
    const found = section(result, 'Archive password found');
    expect(found?.body).toContain('infected');
    expect(found?.tags).toEqual([{ type: 'info.password', value: 'infected' }]);
    expect(section(result, 'Password protected archive')).toBeUndefined();
  });

  it('opens a ZipCrypto zip with the password given as the service parameter', async () => {
    const data = await zipOf([{ name: 'secret.txt', data: 'zipcrypto '.repeat(50), password: 's3cret!', zipCrypto: true }]);
    const { context, result } = await runExtract(data, { ...ZIP, params: { password: 's3cret!' } });
    expect(children(context)).toEqual([['secret.txt', 'zipcrypto '.repeat(50)]]);
    expect(section(result, 'Archive password found')?.tags).toEqual([{ type: 'info.password', value: 's3cret!' }]);
  });

  it('opens a zip with a password from temp_data.passwords', async () => {
    const data = await zipOf([{ name: 'x.bin', data: 'xyz', password: 'from-temp-data' }]);
    const { context, result } = await runExtract(data, { ...ZIP, temp_data: { passwords: ['nope', 'from-temp-data'] } });
    expect(children(context)).toEqual([['x.bin', 'xyz']]);
    expect(section(result, 'Archive password found')?.tags).toEqual([{ type: 'info.password', value: 'from-temp-data' }]);
  });

  it('reports a password protected archive when no known password works, extracting nothing of it', async () => {
    const data = await zipOf([
      { name: 'locked-aes.txt', data: 'a', password: 'unguessable' },
      { name: 'locked-zc.txt', data: 'b', password: 'unguessable', zipCrypto: true },
    ]);
    const { context, result } = await runExtract(data, { ...ZIP, params: { password: 'wrong' } });
    expect(context.extracted).toEqual([]);
    const locked = section(result, 'Password protected archive');
    expect(locked?.heuristic).toMatchObject({ heur_id: 'EXTRACT.2', score: 100 });
    expect(locked?.body).toContain('No known password worked (3 passwords tried)');
    expect(locked?.body).toContain('locked-aes.txt');
    expect(locked?.body).toContain('locked-zc.txt');
    expect(section(result, 'Archive password found')).toBeUndefined();
  });

  it('extracts the plain entries of a partly encrypted zip and reports the locked ones', async () => {
    const data = await zipOf([
      { name: 'plain.txt', data: 'plain' },
      { name: 'locked.txt', data: 'locked', password: 'unguessable' },
    ]);
    const { context, result } = await runExtract(data, ZIP);
    expect(children(context)).toEqual([['plain.txt', 'plain']]);
    expect(section(result, 'Password protected archive')?.body).toContain('locked.txt');
  });
});
