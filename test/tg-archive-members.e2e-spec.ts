// Threat Grid intake fan-out: archives opened by the real Extract service over a local-directory filestore,
// members committed under their sha256, nested archives opened within one set of limits, passwords and bomb
// limits from the configuration, and Extract's working directories gone afterwards.
import { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
// The module object itself: os.tmpdir() is read by Extract through it.
import os from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { HopperConfig } from '@hopper/config';
import { createFilestore, type Filestore } from '@hopper/filestore';
import { identifyHead } from '@hopper/identify';
import {
  type ArchiveExtractOptions,
  type ArchiveMembers,
  extractArchiveMembers,
  isArchiveType,
} from '../apps/api/src/threatgrid/archives';
import { isolatedConfig } from './support/test-env';

interface ZipEntry {
  name: string;
  data: Buffer | string;
  password?: string;
}

async function zipOf(entries: ZipEntry[]): Promise<Buffer> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), { useWebWorkers: false });
  for (const { name, data, password } of entries) {
    await writer.add(name, new Uint8ArrayReader(new Uint8Array(Buffer.from(data))), password ? { password, encryptionStrength: 3 } : {});
  }
  return Buffer.from(await writer.close());
}

const sha256Of = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('Threat Grid archive members', () => {
  let config: HopperConfig;
  let filestore: Filestore;
  let options: ArchiveExtractOptions;
  let privateTmp: string;

  beforeAll(() => {
    config = isolatedConfig('tg_archives');
    filestore = createFilestore(config.filestore);
    options = config.services.builtin.Extract;
    // Extract works under os.tmpdir(); a private one shows whether it leaves anything behind (jest's
    // process.env is a copy, so TMPDIR would not reach os).
    privateTmp = mkdtempSync(join(os.tmpdir(), 'hopper-tg-tmp-'));
    jest.spyOn(os, 'tmpdir').mockReturnValue(privateTmp);
  });

  afterAll(() => {
    jest.restoreAllMocks();
    rmSync(privateTmp, { recursive: true, force: true });
  });

  /** Commits `data` to the filestore as an upload would, identified, and fans it out. */
  async function fanOut(
    data: Buffer,
    name: string,
    more: { passwords?: string[]; options?: Partial<ArchiveExtractOptions> } = {},
  ): Promise<ArchiveMembers> {
    const sha256 = sha256Of(data);
    await filestore.put(sha256, Readable.from([data]));
    const { type } = await identifyHead(data.subarray(0, 64 * 1024));
    return extractArchiveMembers({
      filestore,
      sha256,
      type,
      name,
      passwords: more.passwords ?? [],
      options: { ...options, ...more.options },
    });
  }

  const names = (result: ArchiveMembers): string[] => result.members.map((member) => member.name).sort();

  it('lists a zip of three files, two of them identical, as two committed, identified members', async () => {
    const report = 'Quarterly figures, plain text.\nNothing to see here.\n';
    const page = '<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>document.write("hi")</script></body></html>\n';
    const result = await fanOut(
      await zipOf([
        { name: 'report.txt', data: report },
        { name: 'docs/page.html', data: page },
        { name: 'copy-of-report.txt', data: report },
      ]),
      'bundle.zip',
    );

    expect(result.problems).toEqual([]);
    expect(names(result)).toEqual(['docs/page.html', 'report.txt']);
    const byName = new Map(result.members.map((member) => [member.name, member]));
    expect(byName.get('report.txt')).toMatchObject({
      sha256: sha256Of(report),
      md5: createHash('md5').update(report).digest('hex'),
      sha1: createHash('sha1').update(report).digest('hex'),
      size: Buffer.byteLength(report),
      type: 'text/plain',
      depth: 1,
    });
    expect(byName.get('docs/page.html')).toMatchObject({ sha256: sha256Of(page), type: 'code/html', depth: 1 });
    expect(byName.get('docs/page.html')!.mime).toMatch(/html/);
    // Committed: the caller records and submits them by sha256.
    expect((await readAll(await filestore.get(sha256Of(page)))).toString()).toBe(page);
  });

  it('opens a password zip with the given password, and reports it locked without', async () => {
    const secret = `dropper config ${sha256Of('seed')}`;
    const archive = await zipOf([{ name: 'secret.cfg', data: secret, password: 'correct horse 42' }]);

    const opened = await fanOut(archive, 'locked.zip', { passwords: ['correct horse 42'] });
    expect(opened.problems).toEqual([]);
    expect(opened.members).toEqual([expect.objectContaining({ name: 'secret.cfg', sha256: sha256Of(secret) })]);

    const refused = await fanOut(archive, 'locked.zip');
    expect(refused.members).toEqual([]);
    expect(refused.problems).toHaveLength(1);
    expect(refused.problems[0]).toMatch(/^locked\.zip: Password protected archive: No known password worked .*secret\.cfg$/);
  });

  it('lists what a zip inside a zip holds, not the inner zip, and does not keep the inner zip', async () => {
    const inner = await zipOf([
      { name: 'note.txt', data: 'the inner note\n' },
      { name: 'run.bat', data: '@echo off\r\necho inner\r\n' },
    ]);
    const result = await fanOut(await zipOf([{ name: 'inner.zip', data: inner }, { name: 'top.txt', data: 'the top file\n' }]), 'outer.zip');

    expect(result.problems).toEqual([]);
    expect(names(result)).toEqual(['note.txt', 'run.bat', 'top.txt']);
    expect(result.members.find((member) => member.name === 'note.txt')).toMatchObject({ sha256: sha256Of('the inner note\n'), depth: 2 });
    expect(await filestore.exists(sha256Of(inner))).toBe(false);
  });

  it('opens a gzip and keeps the name without .gz', async () => {
    const text = 'gzipped plain text for the fan-out\n';
    const result = await fanOut(gzipSync(Buffer.from(text)), 'notes.txt.gz');
    expect(result.problems).toEqual([]);
    expect(result.members).toEqual([expect.objectContaining({ name: 'notes.txt', sha256: sha256Of(text), type: 'text/plain' })]);
  });

  it('opens archives three levels deep and submits a fourth-level archive as it is', async () => {
    const level3 = await zipOf([{ name: 'deep.txt', data: 'four archives down\n' }]);
    const level2 = await zipOf([{ name: 'level3.zip', data: level3 }, { name: 'two.txt', data: 'two down\n' }]);
    const level1 = await zipOf([{ name: 'level2.zip', data: level2 }]);
    const result = await fanOut(await zipOf([{ name: 'level1.zip', data: level1 }]), 'root.zip');

    expect(names(result)).toEqual(['level3.zip', 'two.txt']);
    expect(result.members.find((member) => member.name === 'level3.zip')).toMatchObject({ sha256: sha256Of(level3), type: 'archive/zip', depth: 3 });
    expect(await filestore.exists(sha256Of(level3))).toBe(true);
    expect(result.problems).toEqual([
      'root.zip > level1.zip > level2.zip > level3.zip: not extracted: archives nested 3 deep are submitted as they are',
    ]);
  });

  it('shares max_entries across nested archives: an archive left without budget is submitted as it is', async () => {
    const a = await zipOf([{ name: 'a1.txt', data: 'a one\n' }, { name: 'a2.txt', data: 'a two\n' }]);
    const b = await zipOf([{ name: 'b1.txt', data: 'b one\n' }, { name: 'b2.txt', data: 'b two\n' }]);
    // The root yields 2 files, a.zip 2 more: 4 in all, so nothing is left for b.zip.
    const result = await fanOut(await zipOf([{ name: 'a.zip', data: a }, { name: 'b.zip', data: b }]), 'pair.zip', {
      options: { max_entries: 4 },
    });

    expect(names(result)).toEqual(['a1.txt', 'a2.txt', 'b.zip']);
    expect(result.problems).toEqual([
      'pair.zip > b.zip: not extracted: the archive limits were used up by the files before it (max_entries 4, max_total_bytes 1,073,741,824)',
    ]);
  });

  it('stops a nested archive at what is left of max_entries, and says the limit was the rest', async () => {
    const inner = await zipOf(['i1', 'i2', 'i3'].map((name) => ({ name: `${name}.txt`, data: `inner ${name}\n` })));
    // The root yields inner.zip (1 of 3), which may then yield 2 more.
    const result = await fanOut(await zipOf([{ name: 'inner.zip', data: inner }]), 'wrapper.zip', { options: { max_entries: 3 } });

    expect(names(result)).toEqual(['i1.txt', 'i2.txt']);
    expect(result.problems).toEqual([
      'wrapper.zip > inner.zip: Archive limits reached: max_entries: stopped after 2 files (limit 2); "i3.txt" and any later ' +
        'entries were not extracted (what the files before it left of max_entries 3, max_total_bytes 1,073,741,824)',
    ]);
  });

  it('stops a zip bomb at max_total_bytes and says so', async () => {
    const bomb = await zipOf([{ name: 'zeros.bin', data: Buffer.alloc(8 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const result = await fanOut(bomb, 'bomb.zip', { options: { max_total_bytes: 1024 * 1024 } });

    expect(result.members).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/^bomb\.zip: Archive limits reached: max_total_bytes: output passed 1,048,576 bytes/);
    expect(await filestore.exists(sha256Of(Buffer.alloc(8 * 1024 * 1024)))).toBe(false);
  });

  it('gives no members and a problem for a file that is not an archive', async () => {
    const text = Buffer.from('just a memo, no archive here\n');
    const result = await fanOut(text, 'memo.txt');
    expect(result).toEqual({ members: [], problems: ['memo.txt: not an archive Hopper extracts (file type text/plain)'] });
  });

  it('throws the abort reason when stopped, dropping the nested archives it had staged', async () => {
    const a = await zipOf([{ name: 'a1.txt', data: 'abort a one\n' }]);
    const b = await zipOf([{ name: 'b1.txt', data: 'abort b one\n' }]);
    const outer = await zipOf([{ name: 'a.zip', data: a }, { name: 'b.zip', data: b }, { name: 'c.txt', data: 'abort c\n' }]);
    const sha256 = sha256Of(outer);
    await filestore.put(sha256, Readable.from([outer]));
    // The real filestore, stopping the fan-out once a.zip and b.zip are staged (the client went away).
    const controller = new AbortController();
    let staged = 0;
    const stopping: Filestore = Object.assign(Object.create(filestore) as Filestore, {
      stage: async (body: Readable) => {
        const blob = await filestore.stage(body);
        if (++staged === 2) controller.abort(new Error('client went away'));
        return blob;
      },
    });

    await expect(
      extractArchiveMembers({ filestore: stopping, sha256, type: 'archive/zip', name: 'outer.zip', passwords: [], options, signal: controller.signal }),
    ).rejects.toThrow('client went away');
    expect(staged).toBe(2);
    expect(readdirSync(join(config.filestore.local.path, '.staging'))).toEqual([]);
    expect(await filestore.exists(sha256Of(a))).toBe(false);
    expect(await filestore.exists(sha256Of('abort c\n'))).toBe(false);
  });

  it('treats exactly the types Extract accepts as archives', () => {
    expect(['archive/zip', 'archive/gzip', 'archive/tar', 'archive/7-zip'].filter(isArchiveType)).toHaveLength(4);
    expect(['document/office/word', 'java/jar', 'android/apk', 'archive/cart', 'archive/zipx', 'text/plain'].filter(isArchiveType)).toEqual([]);
  });

  it('leaves no working directories and no staged blobs behind', () => {
    // Proves the check looks where Extract worked.
    expect(os.tmpdir()).toBe(privateTmp);
    expect(readdirSync(privateTmp)).toEqual([]);
    expect(readdirSync(join(config.filestore.local.path, '.staging'))).toEqual([]);
  });
});
