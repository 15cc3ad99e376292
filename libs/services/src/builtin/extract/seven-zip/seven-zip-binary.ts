import { createHash, randomBytes } from 'node:crypto';
import { constants, rmSync } from 'node:fs';
import { access, chmod, copyFile, lstat, mkdir, mkdtemp, readFile, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { path7za } from '7zip-bin';

let installed: Promise<string> | null = null;

/**
 * The path of a runnable 7za. npm installs 7zip-bin's binary without its executable bit and node_modules
 * must stay untouched, so it is copied (once per process) into a per-user cache directory and made
 * executable there. The copy is named by its digest, so a new 7zip-bin gets a new copy, and it is checked
 * again on each call, so a tmp cleaner removing it only means another copy.
 */
export async function sevenZipBinary(): Promise<string> {
  if (installed) {
    const path = await installed.catch(() => null);
    if (path !== null && (await isExecutable(path))) return path;
    installed = null;
  }
  installed ??= install();
  return installed;
}

async function install(): Promise<string> {
  const binary = await readFile(path7za);
  const name = `7za-${createHash('sha256').update(binary).digest('hex').slice(0, 16)}`;
  const dir = (await ownPrivateDirectory(join(tmpdir(), `hopper-7za-${process.getuid?.() ?? 'user'}`))) ?? (await processDirectory());
  const target = join(dir, name);
  const existing = await stat(target).catch(() => null);
  if (existing?.isFile() && existing.size === binary.length && (await isExecutable(target))) return target;
  // Copy under a unique name, then rename: a concurrent process never runs a half-written file.
  const staging = join(dir, `${name}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await copyFile(path7za, staging);
  await chmod(staging, 0o755);
  await rename(staging, target);
  return target;
}

/**
 * `dir`, created if needed, when it is a real directory of ours that nobody else can write to; null
 * otherwise (someone else created that name in the shared tmp: it must not be trusted).
 */
async function ownPrivateDirectory(dir: string): Promise<string | null> {
  await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const info = await lstat(dir);
  const ours = process.getuid === undefined || info.uid === process.getuid();
  return info.isDirectory() && ours && (info.mode & 0o077) === 0 ? dir : null;
}

/** A fresh private directory for this process alone, removed when it exits. */
async function processDirectory(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hopper-7za-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
