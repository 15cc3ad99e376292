// Builds small archives inside the tests (no binary fixtures): zip.js for zips, tar-stream for tars,
// zlib for gzip and 7za for 7z.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as zip from '@zip.js/zip.js';
import * as tar from 'tar-stream';
import { parseServiceResult, type ServiceResultBody } from '../../../contract/service-result';
import { InMemoryContext } from '../../../testing/in-memory-context';
import { ExtractService } from '../extract-service';
import { sevenZipBinary } from '../seven-zip/seven-zip-binary';

export interface ZipEntrySpec {
  name: string;
  data?: Buffer | string;
  directory?: boolean;
  password?: string;
  zipCrypto?: boolean;
  /** The content is the link target, as zip stores symlinks. */
  symlink?: boolean;
  /** Store without compression (so a test can find and damage the bytes). */
  stored?: boolean;
}

export async function zipOf(entries: ZipEntrySpec[]): Promise<Buffer> {
  const writer = new zip.ZipWriter(new zip.Uint8ArrayWriter(), { useWebWorkers: false });
  for (const entry of entries) {
    if (entry.directory) {
      await writer.add(entry.name, null, { directory: true });
      continue;
    }
    const data = Buffer.from(entry.data ?? '');
    await writer.add(entry.name, new zip.Uint8ArrayReader(new Uint8Array(data)), {
      ...(entry.password ? { password: entry.password, zipCrypto: entry.zipCrypto ?? false, encryptionStrength: 3 as const } : {}),
      ...(entry.symlink ? { unixMode: 0o120777 } : {}),
      ...(entry.stored ? { level: 0 } : {}),
    });
  }
  return Buffer.from(await writer.close());
}

/** A gzip, with an FNAME in its header when `storedName` is given (zlib never writes one). */
export function gzipOf(data: Buffer | string, storedName?: string): Buffer {
  const plain = gzipSync(Buffer.from(data));
  if (storedName === undefined) return plain;
  const flags = plain[3]! | 0x08;
  const header = Buffer.concat([plain.subarray(0, 3), Buffer.from([flags]), plain.subarray(4, 10)]);
  // The trailer's CRC covers the data only, so inserting the name keeps the gzip valid.
  return Buffer.concat([header, Buffer.from(`${storedName}\0`, 'latin1'), plain.subarray(10)]);
}

export type TarEntrySpec = Partial<tar.Header> & { name: string; data?: Buffer | string };

export async function tarOf(entries: TarEntrySpec[]): Promise<Buffer> {
  const pack = tar.pack();
  const collected = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  })();
  for (const { data, ...header } of entries) {
    await new Promise<void>((resolve, reject) => {
      const callback = (error?: Error | null): void => (error ? reject(error) : resolve());
      if (header.type === undefined || header.type === 'file') pack.entry(header, Buffer.from(data ?? ''), callback);
      else pack.entry(header, callback);
    });
  }
  pack.finalize();
  return collected;
}

export interface SevenZipSpec {
  password?: string;
  /** Encrypt the file list too (`-mhe=on`): the archive cannot even be listed without the password. */
  encryptHeaders?: boolean;
}

/** A 7z made by 7za from `files` (relative path → content). */
export async function sevenZipOf(files: Record<string, Buffer | string>, spec: SevenZipSpec = {}): Promise<Buffer> {
  const binary = await sevenZipBinary();
  const dir = await mkdtemp(join(tmpdir(), 'hopper-test-7z-'));
  try {
    const source = join(dir, 'src');
    for (const [path, data] of Object.entries(files)) {
      await mkdir(dirname(join(source, path)), { recursive: true });
      await writeFile(join(source, path), data);
    }
    const archive = join(dir, 'out.7z');
    const password = spec.password ? [`-p${spec.password}`, ...(spec.encryptHeaders ? ['-mhe=on'] : [])] : [];
    await promisify(execFile)(binary, ['a', '-bd', '-t7z', ...password, archive, ...(await readdir(source))], { cwd: source });
    return await readFile(archive);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface RunOptions {
  type: string;
  name?: string;
  params?: Record<string, unknown>;
  temp_data?: Record<string, unknown>;
  service?: ExtractService;
}

/** Runs Extract on `data` in an in-memory context; the result is validated as the dispatcher would. */
export async function runExtract(data: Buffer, options: RunOptions): Promise<{ context: InMemoryContext; result: ServiceResultBody }> {
  const context = InMemoryContext.forFile(data, {
    type: options.type,
    name: options.name ?? 'sample',
    params: { password: '', ...options.params },
    temp_data: options.temp_data ?? {},
  });
  return { context, result: await runIn(context, options.service) };
}

export async function runIn(context: InMemoryContext, service = new ExtractService()): Promise<ServiceResultBody> {
  return parseServiceResult('Extract', await service.execute(context));
}

/** The section titled `title`, or undefined. */
export function section(result: ServiceResultBody, title: string): ServiceResultBody['sections'][number] | undefined {
  return result.sections.find((candidate) => candidate.title === title);
}

/** Names and contents of what was extracted, in order. */
export function children(context: InMemoryContext): Array<[string, string]> {
  return context.extracted.map((child) => [child.name, child.data.toString('latin1')]);
}
