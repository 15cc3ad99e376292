import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LocalFile } from './collect-files';

/** How an ingest ended, as the notification (and the ingest's status) told it. */
export interface Verdict {
  sid: string | null;
  score: number | null;
  /** new, cached or attached (the ingest status route's `outcome`); null when unknown. */
  outcome: string | null;
  /** Empty when the ingest completed; else why not (dropped, failed). */
  failure: string;
}

/** What the state remembers of a file the server accepted. */
export interface SentRecord {
  path: string;
  size: number;
  mtime: number;
  sha256: string;
  ingest_id: string;
  at: string;
  verdict?: Verdict;
}

/**
 * The default state file of a server and user: `$XDG_STATE_HOME/hopper/ingest/<user>@<host>.jsonl`
 * (`~/.local/state/…` without XDG_STATE_HOME). One per server and account, since "accepted" is theirs.
 */
export function defaultStateFile(serverUrl: string, user: string, env: NodeJS.ProcessEnv = process.env): string {
  const host = new URL(serverUrl).host.replace(/[^A-Za-z0-9.-]/g, '_');
  const safeUser = user.replace(/[^A-Za-z0-9._-]/g, '_');
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'hopper', 'ingest', `${safeUser}@${host}.jsonl`);
}

/**
 * The resume state of `hopper ingest`: one JSON line appended per accepted file (and per verdict), keyed by
 * the file's absolute path, size and mtime, so a file changed since is sent again. Appending line by line
 * means an interrupted run loses at most the line being written; a torn last line is ignored on reading.
 */
export class IngestState {
  private readonly records = new Map<string, SentRecord>();
  private fd: number | null = null;

  constructor(readonly file: string) {
    if (!existsSync(file)) return;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const record = parseLine(line);
      if (!record) continue;
      const key = keyOf(record.path, record.size, record.mtime);
      const known = this.records.get(key);
      // A sent line starts a record (a resend replaces it); a verdict line completes the one it names.
      if (typeof record.ingest_id === 'string' && typeof record.sha256 === 'string') this.records.set(key, record as SentRecord);
      else if (known && record.verdict) known.verdict = record.verdict;
    }
  }

  /** The record of an earlier accepted upload of this very file (same path, size and mtime), if any. */
  sent(file: LocalFile): SentRecord | undefined {
    return this.records.get(keyOf(file.path, file.size, file.mtimeMs));
  }

  get size(): number {
    return this.records.size;
  }

  recordSent(file: LocalFile, sha256: string, ingestId: string, at = new Date()): SentRecord {
    const record: SentRecord = { path: file.path, size: file.size, mtime: file.mtimeMs, sha256, ingest_id: ingestId, at: at.toISOString() };
    this.records.set(keyOf(file.path, file.size, file.mtimeMs), record);
    this.append(record);
    return record;
  }

  recordVerdict(record: SentRecord, verdict: Verdict): void {
    record.verdict = verdict;
    this.append({ path: record.path, size: record.size, mtime: record.mtime, verdict });
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private append(line: object): void {
    if (this.fd === null) {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      this.fd = openSync(this.file, 'a', 0o600);
    }
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }
}

const keyOf = (path: string, size: number, mtime: number) => `${path}\u0000${size}\u0000${mtime}`;

function parseLine(line: string): (Partial<SentRecord> & Pick<SentRecord, 'path' | 'size' | 'mtime'>) | null {
  if (!line.trim()) return null;
  try {
    const value = JSON.parse(line) as Partial<SentRecord>;
    if (typeof value.path !== 'string' || typeof value.size !== 'number' || typeof value.mtime !== 'number') return null;
    return value as Partial<SentRecord> & Pick<SentRecord, 'path' | 'size' | 'mtime'>;
  } catch {
    return null; // a line torn by a crash
  }
}
