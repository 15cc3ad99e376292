import { ApiError, HopperApi } from '../api/hopper-api';
import type { SentRecord, Verdict } from './ingest-state';

/** The parts of a notification message (Assemblyline's IngestTask as sent to `nq-<name>`) the CLI reads. */
interface NotificationMessage {
  ingest_id?: string;
  score?: number | null;
  failure?: string;
  submission?: { sid?: string | null };
}

/** GET /api/v4/ingest/status/<ingest_id>/ (Hopper's extra). */
interface IngestStatus {
  state: 'queued' | 'in_progress' | 'completed' | 'failed' | 'dropped';
  outcome: string | null;
  sid: string | null;
  score: number | null;
  failure: string | null;
}

export interface WaitOptions {
  api: HopperApi;
  /** The notification queue this run's ingests name. */
  nq: string;
  timeoutMs: number;
  pollMs: number;
  /** Checked between polls: a Ctrl-C stops the wait. */
  stopped: () => boolean;
  onVerdict: (record: SentRecord, verdict: Verdict) => void;
}

const ENDED = new Set(['completed', 'failed', 'dropped']);

/**
 * Follows the verdicts of `fresh` (sent in this run) through their notification queue, as Assemblyline's
 * clients do (`GET /api/v4/ingest/get_message_list/<nq>/`), and of `earlier` (sent by an earlier run,
 * whose messages went to that run's queue) through their ingest status. Each message's ingest is also
 * asked its status once for how it was served (new scan, cached result, attached to a running scan).
 * Answers when every one has a verdict, the time is up, or `stopped()`; the ones left have none.
 */
export async function waitForVerdicts(fresh: SentRecord[], earlier: SentRecord[], options: WaitOptions): Promise<void> {
  const waitingFresh = new Map(fresh.map((record) => [record.ingest_id, record]));
  const waitingEarlier = new Map(earlier.map((record) => [record.ingest_id, record]));
  const deadline = Date.now() + options.timeoutMs;
  const settle = (record: SentRecord, verdict: Verdict) => {
    waitingFresh.delete(record.ingest_id);
    waitingEarlier.delete(record.ingest_id);
    options.onVerdict(record, verdict);
  };

  while ((waitingFresh.size || waitingEarlier.size) && !options.stopped()) {
    let progressed = false;
    if (waitingFresh.size) {
      const path = `api/v4/ingest/get_message_list/${encodeURIComponent(options.nq)}/?page_size=1000`;
      let messages: NotificationMessage[] | null = [];
      try {
        messages = await options.api.getJson<NotificationMessage[]>(path);
      } catch (error) {
        if (!(error instanceof ApiError && error.transient)) throw error; // a busy server: poll again later
      }
      for (const message of messages ?? []) {
        const record = message.ingest_id ? waitingFresh.get(message.ingest_id) : undefined;
        if (!record) continue; // another reader's message on a shared queue: nothing of ours
        const status = await ingestStatus(options.api, record.ingest_id);
        settle(record, {
          sid: message.submission?.sid ?? status?.sid ?? null,
          score: message.score ?? null,
          outcome: status?.outcome ?? null,
          failure: message.failure ?? '',
        });
        progressed = true;
      }
    }
    for (const record of [...waitingEarlier.values()]) {
      const status = await ingestStatus(options.api, record.ingest_id);
      if (status === null || ENDED.has(status.state)) {
        settle(record, status ? { sid: status.sid, score: status.score, outcome: status.outcome, failure: status.failure ?? '' } : { sid: null, score: null, outcome: null, failure: 'status unknown (expired, or this key may not read ingest status)' });
        progressed = true;
      }
    }
    if (Date.now() >= deadline) return;
    if (!progressed) await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs, Math.max(0, deadline - Date.now()))));
  }
}

/** The ingest's status; null when the server no longer knows it (404) or the key may not read it (403). */
async function ingestStatus(api: HopperApi, ingestId: string): Promise<IngestStatus | null> {
  try {
    return await api.getJson<IngestStatus>(`api/v4/ingest/status/${encodeURIComponent(ingestId)}/`);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) return null;
    throw error;
  }
}
