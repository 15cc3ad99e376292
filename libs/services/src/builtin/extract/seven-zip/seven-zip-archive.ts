import { constants } from 'node:fs';
import { mkdir, open, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { sanitiseEntryName } from '../entry-name';
import { ArchiveReadError, LimitExceededError } from '../errors';
import type { ExtractionRun } from '../extraction-run';
import { spoolToFile, withTempDir } from '../temp-space';
import { sevenZipBinary } from './seven-zip-binary';
import { type SevenZipEntry, SevenZipListingParser } from './seven-zip-listing';
import { type PlannedFile, planSevenZip } from './seven-zip-plan';
import { isWrongPassword, runSevenZip, sevenZipErrorSummary, type SevenZipOutcome } from './seven-zip-process';

/**
 * Given to 7za when no password is known yet: with some `-p` it never prompts, and data that is not
 * encrypted ignores it. A header-encrypted archive then fails to list, which is how we learn it is one.
 */
const NO_PASSWORD = 'hopper-no-password';

// Only ever open the file as 7z (7za would otherwise guess among its other formats), keep names UTF-8,
// and take the list file's names literally (no wildcards).
const COMMON_SWITCHES = ['-bd', '-t7z', '-sccUTF-8'];

interface Listing {
  entries: SevenZipEntry[];
  /** The password that listed a header-encrypted archive; null when the headers are not encrypted. */
  headerPassword: string | null;
  /** Listing stopped early: more entries than worth looking at. */
  truncated: boolean;
}

/**
 * Extracts a 7z with the 7za binary: list first (declared sizes decide what may be written to disk at all),
 * extract exactly the planned regular files into a private directory, then stream each file out, counted
 * again, and delete it. Links and directories are never extracted, so nothing on disk can point elsewhere.
 */
export async function extractSevenZip(run: ExtractionRun): Promise<void> {
  const binary = await sevenZipBinary();
  await withTempDir(async (dir) => {
    const archive = join(dir, 'archive.7z');
    const size = await spoolToFile(await run.context.openFile(), archive, run.signal);
    const listing = await listArchive(run, binary, archive);
    if (listing === null) {
      run.noteLocked('(file list: the archive headers are encrypted)');
      return;
    }
    const plan = planSevenZip(listing.entries, run.budget.limits, size);
    for (const hit of plan.hits) run.noteLimit(hit);
    if (listing.truncated && !plan.hits.some((hit) => hit.limit === 'max_entries')) {
      run.noteLimit(
        new LimitExceededError('max_entries', 'archive', `max_entries: the archive lists more than ${listing.entries.length} entries; later ones were not examined`),
      );
    }
    // A list file has one name a line: a name holding a line break cannot be asked for.
    const files = plan.files.filter((file) => !/[\r\n]/.test(file.entry.path));
    if (files.length > 0) await extractPlanned(run, binary, archive, dir, files, listing);
  });
}

async function listArchive(run: ExtractionRun, binary: string, archive: string): Promise<Listing | null> {
  const { max_entries } = run.budget.limits;
  // Enough of the listing to plan with: a file past the limit shows the limit was hit.
  const maxListed = Math.max(10_000, max_entries * 10);
  for (const password of [NO_PASSWORD, ...run.passwords.ordered()]) {
    run.checkpoint();
    const parser = new SevenZipListingParser();
    const entries: SevenZipEntry[] = [];
    let files = 0;
    const outcome = await runSevenZip(binary, ['l', '-slt', ...COMMON_SWITCHES, `-p${password}`, archive], {
      signal: run.signal,
      onLine: (line) => {
        const entry = parser.push(line);
        if (entry) {
          entries.push(entry);
          if (entry.kind === 'file' && entry.size > 0) files += 1;
        }
        return files <= max_entries && entries.length < maxListed;
      },
    });
    if (outcome.stoppedEarly) return { entries, headerPassword: headerPassword(password), truncated: files <= max_entries };
    const last = parser.end();
    if (last) entries.push(last);
    if (outcome.code === 0 || outcome.code === 1) return { entries, headerPassword: headerPassword(password), truncated: false };
    if (!isWrongPassword(outcome)) throw new ArchiveReadError(sevenZipErrorSummary(outcome));
  }
  return null;
}

const headerPassword = (password: string): string | null => (password === NO_PASSWORD ? null : password);

async function extractPlanned(
  run: ExtractionRun,
  binary: string,
  archive: string,
  dir: string,
  files: PlannedFile[],
  listing: Listing,
): Promise<void> {
  const listFile = join(dir, 'names.txt');
  await writeFile(listFile, files.map((file) => `${file.entry.path}\n`).join(''), { flag: 'wx', mode: 0o600 });
  const out = join(dir, 'out');
  const encrypted = listing.headerPassword !== null || files.some((file) => file.entry.encrypted);
  const attempts = !encrypted
    ? [NO_PASSWORD]
    : [...new Set([...(listing.headerPassword === null ? [] : [listing.headerPassword]), ...run.passwords.ordered()])];
  for (const password of attempts) {
    run.checkpoint();
    // A wrong password's attempt may leave garbage: every attempt starts from an empty directory.
    await rm(out, { recursive: true, force: true });
    await mkdir(out, { mode: 0o700 });
    const outcome = await runSevenZip(
      binary,
      ['x', '-y', ...COMMON_SWITCHES, '-spd', '-scsUTF-8', `-p${password}`, `-o${out}`, archive, `@${listFile}`],
      { signal: run.signal },
    );
    if (encrypted && isWrongPassword(outcome)) continue;
    if (encrypted) run.passwords.worked(password);
    const damaged = damagedPaths(outcome, files);
    if (outcome.code !== 0) run.noteReadProblem(null, sevenZipErrorSummary(outcome));
    await streamFiles(
      run,
      out,
      files.filter((file) => !damaged.has(file.entry.path)),
    );
    return;
  }
  for (const file of files) run.noteLocked(run.childName(file.entry.path));
}

/** Files 7za reported an error for (`ERROR: CRC Failed : a/b.txt`): it leaves them on disk, damaged. */
function damagedPaths(outcome: SevenZipOutcome, files: PlannedFile[]): Set<string> {
  const damaged = new Set<string>();
  if (outcome.code === 0) return damaged;
  const planned = new Set(files.map((file) => file.entry.path));
  for (const line of outcome.stderr.split('\n')) {
    if (!line.startsWith('ERROR:')) continue;
    // The name follows " : ", and may itself hold " : ": try every split.
    for (let at = line.indexOf(' : '); at >= 0; at = line.indexOf(' : ', at + 1)) {
      const candidate = line.slice(at + 3).trimEnd();
      if (planned.has(candidate)) damaged.add(candidate);
    }
  }
  return damaged;
}

async function streamFiles(run: ExtractionRun, out: string, files: PlannedFile[]): Promise<void> {
  for (const file of files) {
    run.checkpoint();
    const name = run.childName(file.entry.path);
    const found = await openExtracted(out, file.entry.path);
    if (!found) {
      run.noteReadProblem(name, '7za did not write this file');
      continue;
    }
    try {
      await run.emit(name, found.handle.createReadStream({ autoClose: false }), file.compressedSize);
    } catch (error) {
      if (!(error instanceof ArchiveReadError) || run.signal.aborted) throw error;
      run.noteReadProblem(name, error);
    } finally {
      await found.handle.close();
      // Free the disk as we go: the next file may be large.
      await rm(found.path, { force: true });
    }
  }
}

/**
 * Opens the regular file 7za wrote for an entry path, never following a link and never leaving `out`.
 * 7za drops `..` and leading `/` from names itself, so the sanitised path is tried as well.
 */
async function openExtracted(out: string, entryPath: string): Promise<{ handle: FileHandle; path: string } | null> {
  for (const candidate of new Set([entryPath, sanitiseEntryName(entryPath, '')])) {
    const path = resolve(out, candidate);
    const inside = relative(out, path);
    if (!candidate || !inside || inside.startsWith('..') || isAbsolute(inside)) continue;
    let handle: FileHandle;
    try {
      handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch {
      continue;
    }
    if ((await handle.stat()).isFile()) return { handle, path };
    await handle.close();
  }
  return null;
}
