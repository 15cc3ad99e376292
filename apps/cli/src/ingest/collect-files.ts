import fg from 'fast-glob';
import { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

/** A regular file to send, as found on disk when the run started. */
export interface LocalFile {
  /** Absolute path: what the resume state is keyed by. */
  path: string;
  /** The path as the user would write it (relative to the working directory when under it). */
  display: string;
  size: number;
  mtimeMs: number;
}

export interface CollectedFiles {
  files: LocalFile[];
  /** Arguments that named nothing (no such file, or a glob that matched none). */
  missing: string[];
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * Every regular file the arguments name: a file as is, a folder recursively (symbolic links inside it are
 * not followed, so a link loop cannot trap the walk), anything with `* ? [ ] { }` as a glob (`**` recurses).
 * Each file once, sorted by path.
 */
export async function collectFiles(args: string[], cwd = process.cwd()): Promise<CollectedFiles> {
  const found = new Map<string, LocalFile>();
  const missing: string[] = [];
  for (const arg of args) {
    const before = found.size;
    const info = await stat(resolve(cwd, arg)).catch(() => null);
    if (info?.isFile()) await add(found, resolve(cwd, arg), cwd);
    else if (info?.isDirectory()) await walk(found, resolve(cwd, arg), cwd);
    else if (!info && GLOB_CHARS.test(arg)) {
      for (const path of await fg(arg, { cwd, absolute: true, onlyFiles: true, dot: true, followSymbolicLinks: false })) await add(found, path, cwd);
    }
    if (found.size === before && !(info?.isDirectory() || info?.isFile())) missing.push(arg);
  }
  const files = [...found.values()].sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  return { files, missing };
}

async function walk(found: Map<string, LocalFile>, dir: string, cwd: string): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new Error(`Cannot read folder ${displayPath(dir, cwd)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(found, path, cwd);
    else if (entry.isFile()) await add(found, path, cwd);
  }
}

async function add(found: Map<string, LocalFile>, path: string, cwd: string): Promise<void> {
  if (found.has(path)) return;
  const info = await stat(path);
  if (!info.isFile()) return;
  found.set(path, { path, display: displayPath(path, cwd), size: info.size, mtimeMs: Math.trunc(info.mtimeMs) });
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
