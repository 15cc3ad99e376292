import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { ApiError, HopperApi } from '../api/hopper-api';
import type { LocalFile } from './collect-files';
import { IngestState, SentRecord } from './ingest-state';

/** What happened to one file in the upload phase. */
export type FileOutcome =
  | { kind: 'accepted'; file: LocalFile; record: SentRecord }
  | { kind: 'skipped'; file: LocalFile; record: SentRecord }
  | { kind: 'failed'; file: LocalFile; error: string };

export interface UploadOptions {
  api: HopperApi;
  state: IngestState;
  /** Skip files the state says were accepted before. */
  resume: boolean;
  concurrency: number;
  /** How many times a transient refusal (503, 429, connection reset) is retried before the file fails. */
  retries: number;
  /** The data block of a file (name, params, metadata, profile, notification queue…). */
  dataBlock: (file: LocalFile) => Record<string, unknown>;
  onOutcome: (outcome: FileOutcome) => void;
  /** Bytes of a file leaving (negative when an attempt is retried from the start). */
  onBytes: (bytes: number) => void;
  /** The wait before retry `attempt` (1-based) when the server named none. */
  backoffMs?: (attempt: number) => number;
}

/**
 * Stops a bulk upload from outside (Ctrl-C): `stop` lets the uploads in flight finish and starts no new
 * one; `abort` cuts the ones in flight too.
 */
export class UploadControl {
  stopped = false;
  private readonly aborter = new AbortController();

  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  stop(): void {
    this.stopped = true;
  }

  abort(): void {
    this.stopped = true;
    this.aborter.abort();
  }
}

export interface UploadSummary {
  outcomes: FileOutcome[];
  /** Files never started because the run was stopped, or cut while in flight. */
  notSent: LocalFile[];
}

const NETWORK_RETRY = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET']);
const defaultBackoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** (attempt - 1));

/**
 * Sends `files`, `concurrency` at a time, each once: a file the state knows (same path, size, mtime) is
 * skipped when resuming; each accepted one is written to the state as soon as the server answers. A
 * transient refusal is retried with the same Idempotency-Key, so a retry after a lost answer is not a
 * second ingest.
 */
export async function uploadFiles(files: LocalFile[], options: UploadOptions, control: UploadControl): Promise<UploadSummary> {
  const outcomes: FileOutcome[] = [];
  const notSent: LocalFile[] = [];
  let next = 0;
  const report = (outcome: FileOutcome) => {
    outcomes.push(outcome);
    options.onOutcome(outcome);
  };

  const worker = async () => {
    for (;;) {
      if (control.stopped) return;
      const index = next++;
      if (index >= files.length) return;
      const file = files[index];
      const earlier = options.resume ? options.state.sent(file) : undefined;
      if (earlier) {
        report({ kind: 'skipped', file, record: earlier });
        continue;
      }
      const result = await sendOne(file, options, control);
      if (result === 'aborted') notSent.push(file);
      else report(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, files.length)) }, worker));
  notSent.push(...files.slice(Math.min(next, files.length)));
  return { outcomes, notSent };
}

async function sendOne(file: LocalFile, options: UploadOptions, control: UploadControl): Promise<FileOutcome | 'aborted'> {
  const idempotencyKey = randomUUID();
  const backoff = options.backoffMs ?? defaultBackoff;
  for (let attempt = 0; ; attempt++) {
    let sent = 0;
    try {
      const answer = await options.api.ingestFile({
        path: file.path,
        size: file.size,
        data: { name: basename(file.path), ...options.dataBlock(file) },
        idempotencyKey,
        signal: control.signal,
        onBytes: (bytes) => {
          sent += bytes;
          options.onBytes(bytes);
        },
      });
      const record = options.state.recordSent(file, answer.sha256, answer.ingestId);
      return { kind: 'accepted', file, record };
    } catch (error) {
      options.onBytes(-sent);
      if (control.signal.aborted) return 'aborted';
      const code = (error as NodeJS.ErrnoException).code;
      const transient = error instanceof ApiError ? error.transient : code !== undefined && NETWORK_RETRY.has(code);
      if (transient && control.stopped) return 'aborted'; // no retry once stopping: left for the next run
      if (!transient || attempt >= options.retries) return { kind: 'failed', file, error: describe(error) };
      const waitMs = error instanceof ApiError && error.retryAfterSeconds !== null ? error.retryAfterSeconds * 1000 : backoff(attempt + 1);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${code}: ${(error as Error).message}` : (error as Error).message ?? String(error);
}
