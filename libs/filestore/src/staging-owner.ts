import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** The process that staged a file, as its staging name records it. */
export interface StagingOwner {
  /** A short digest of the host name (a name is free text; a digest is safe in a file or object name). */
  host: string;
  pid: number;
  /** When the process started (ms): a file of its pid older than this was left by an earlier process. */
  startedAt: number;
}

/** A staged file or object, as a sweep sees it. */
export interface StagingEntry {
  /** The name under the staging area (no folder). */
  name: string;
  /** Last written (ms). */
  modifiedAt: number;
}

export const THIS_PROCESS: StagingOwner = {
  host: createHash('sha256').update(hostname()).digest('hex').slice(0, 12),
  pid: process.pid,
  startedAt: Date.now() - Math.round(process.uptime() * 1000),
};

const NAME = /^([0-9a-f]{12})-([0-9]+)-[0-9a-f-]{36}$/;

/** `<host>-<pid>-<uuid>`: whose it is can be told from the name alone, on a filesystem or in a bucket. */
export function stagingName(owner: StagingOwner = THIS_PROCESS): string {
  return `${owner.host}-${owner.pid}-${randomUUID()}`;
}

/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a staged file belongs to a request that died: untouched for `maxAgeMs` (whoever staged it; a live
 * upload keeps writing), or staged on this host by a process that is gone: a pid that no longer runs, or this
 * process's own pid before this process started (a restarted container often gets the same pid).
 */
export function isAbandoned(
  entry: StagingEntry,
  now: number,
  maxAgeMs: number,
  owner: StagingOwner = THIS_PROCESS,
  alive: (pid: number) => boolean = pidAlive,
): boolean {
  if (now - entry.modifiedAt > maxAgeMs) return true;
  const match = NAME.exec(entry.name);
  if (!match || match[1] !== owner.host) return false;
  const pid = Number(match[2]);
  if (pid === owner.pid) return entry.modifiedAt < owner.startedAt;
  return !alive(pid);
}
