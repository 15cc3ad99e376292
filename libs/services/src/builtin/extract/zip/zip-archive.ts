import { open } from 'node:fs/promises';
import { join } from 'node:path';
import * as zip from '@zip.js/zip.js';
import { ArchiveReadError } from '../errors';
import type { ExtractionRun } from '../extraction-run';
import { spoolToFile, withTempDir } from '../temp-space';
import { FileHandleReader } from './file-handle-reader';
import { zipEntryChunks } from './zip-entry-chunks';

// Tolerant like the tools malware authors test against: names are sanitised by us, not rejected, and
// prepended or appended data does not make the archive unreadable. No web workers in a server process.
const READER_OPTIONS: zip.ZipReaderConstructorOptions = {
  useWebWorkers: false,
  strictness: 'tolerant',
  filenameValidation: 'tolerant',
  checkCrc32: true,
};

/** Extracts a zip's regular files (not directories, not symlinks), one level deep. */
export async function extractZip(run: ExtractionRun): Promise<void> {
  await withTempDir(async (dir) => {
    const path = join(dir, 'archive.zip');
    const size = await spoolToFile(await run.context.openFile(), path, run.signal);
    const handle = await open(path, 'r');
    try {
      const reader = new zip.ZipReader(new FileHandleReader(handle, size), READER_OPTIONS);
      try {
        await extractEntries(run, reader);
      } finally {
        await reader.close().catch(() => undefined);
      }
    } finally {
      await handle.close();
    }
  });
}

async function extractEntries(run: ExtractionRun, reader: zip.ZipReader<unknown>): Promise<void> {
  // The generator reads the central directory lazily: a million-entry directory is never held whole.
  for await (const entry of reader.getEntriesGenerator()) {
    run.checkpoint();
    if (entry.directory || entry.symlink) continue;
    const name = run.childName(entry.filename);
    try {
      if (entry.encrypted) await extractEncrypted(run, entry, name);
      else await run.emit(name, zipEntryChunks(entry, undefined, run.signal), entry.compressedSize);
    } catch (error) {
      // Random access: a damaged entry does not stop the others.
      if (!(error instanceof ArchiveReadError) || run.signal.aborted) throw error;
      run.noteReadProblem(name, error);
    }
  }
}

/**
 * Tries the candidate passwords on an encrypted entry (AES or ZipCrypto). zip.js's password check is
 * cheap but ZipCrypto's has one check byte, so a wrong password passes it 1 time in 256: the data then fails
 * its CRC or inflation, and the next candidate is tried.
 */
async function extractEncrypted(run: ExtractionRun, entry: zip.FileEntry, name: string): Promise<void> {
  let dataFailure: ArchiveReadError | null = null;
  for (const password of run.passwords.ordered()) {
    run.checkpoint();
    if (!(await passwordFits(entry, password, run.signal))) continue;
    try {
      await run.emit(name, zipEntryChunks(entry, password, run.signal), entry.compressedSize);
      run.passwords.worked(password);
      return;
    } catch (error) {
      if (!(error instanceof ArchiveReadError) || run.signal.aborted) throw error;
      dataFailure = error;
    }
  }
  // AES's 16-bit check rarely lets a wrong password through, so its data failing means damage; ZipCrypto's
  // 8-bit check lets one in 256 through, so its data failing most likely means a wrong password.
  if (dataFailure && !entry.zipCrypto) throw dataFailure;
  run.noteLocked(name);
}

async function passwordFits(entry: zip.FileEntry, password: string, signal: AbortSignal): Promise<boolean> {
  try {
    await entry.getData(new zip.Uint8ArrayWriter(), { password, checkPasswordOnly: true, signal });
    return true;
  } catch (error) {
    if (error instanceof Error && error.message === zip.ERR_INVALID_PASSWORD) return false;
    throw ArchiveReadError.from(error);
  }
}
