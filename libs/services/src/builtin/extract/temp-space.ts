import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Prefix of the private working directories under os.tmpdir() (mode 0700, removed on every path). */
export const TEMP_PREFIX = 'hopper-extract-';

/** Runs `work` with a fresh private directory, removed afterwards whatever happened. */
export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), TEMP_PREFIX));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes `input` to a new file at `path` (never an existing one); returns its size. */
export async function spoolToFile(input: Readable, path: string, signal: AbortSignal): Promise<number> {
  await pipeline(input, createWriteStream(path, { flags: 'wx', mode: 0o600 }), { signal });
  return (await stat(path)).size;
}
