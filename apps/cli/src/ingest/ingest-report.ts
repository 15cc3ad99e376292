import type { SentRecord, Verdict } from './ingest-state';
import { ProgressCounts, TerminalProgress } from './progress';
import type { FileOutcome } from './upload-files';

/** `json`: one JSON object per line; `plain`: a line per file; `terminal`: a progress bar, then the summary. */
export type OutputMode = 'json' | 'plain' | 'terminal';

export interface VerdictRow {
  file: string;
  record: SentRecord;
  /** This run's upload or an earlier one's. */
  sent: 'now' | 'before';
  verdict: Verdict | null;
}

export interface RunSummary {
  files: number;
  accepted: number;
  skipped: number;
  failed: number;
  notSent: number;
  interrupted: boolean;
  state: string;
  nq: string | null;
}

/** What a verdict row's last column says: how it was served, or why it has no score. */
export function verdictResult(verdict: Verdict | null): string {
  if (!verdict) return 'pending (no verdict yet)';
  if (verdict.failure) return `failed: ${verdict.failure}`;
  return verdict.outcome ?? 'done';
}

/** The verdict table: FILE, SHA256, SID, SCORE, RESULT, columns padded to their widest cell. */
export function verdictTable(rows: VerdictRow[]): string[] {
  const cells = [
    ['FILE', 'SHA256', 'SID', 'SCORE', 'RESULT'],
    ...rows.map(({ file, record, sent, verdict }) => [
      file,
      record.sha256,
      verdict?.sid ?? '-',
      verdict?.score === null || verdict?.score === undefined ? '-' : String(verdict.score),
      verdictResult(verdict) + (sent === 'before' ? ' (sent before)' : ''),
    ]),
  ];
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  return cells.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  '));
}

/** Writes what `hopper ingest` has to say, in the chosen mode. Secrets never reach it. */
export class IngestReporter {
  private bar: TerminalProgress | null;

  constructor(
    private readonly mode: OutputMode,
    private readonly out: NodeJS.WriteStream,
    private readonly err: NodeJS.WritableStream,
    counts: () => ProgressCounts,
  ) {
    this.bar = mode === 'terminal' ? new TerminalProgress(out, counts) : null;
  }

  started(): void {
    this.bar?.update(true);
  }

  progress(): void {
    this.bar?.update();
  }

  outcome(outcome: FileOutcome): void {
    const { file } = outcome;
    if (this.mode === 'json') {
      if (outcome.kind === 'failed') this.json({ event: 'failed', file: file.display, path: file.path, size: file.size, error: outcome.error });
      else this.json({ event: outcome.kind, file: file.display, path: file.path, size: file.size, sha256: outcome.record.sha256, ingest_id: outcome.record.ingest_id });
      return;
    }
    if (outcome.kind === 'failed') return this.line(`failed ${file.display}: ${outcome.error}`);
    // On a terminal the bar counts accepted and skipped files; only failures deserve a line of their own.
    if (this.mode === 'terminal') return this.bar?.update();
    if (outcome.kind === 'accepted') this.line(`accepted ${file.display} sha256=${outcome.record.sha256} ingest_id=${outcome.record.ingest_id}`);
    else this.line(`skipped ${file.display} (sent before as ingest_id=${outcome.record.ingest_id})`);
  }

  /** The upload phase is over: the bar's final state stays on screen. */
  uploadsDone(): void {
    this.bar?.finish();
    this.bar = null;
  }

  /** A message to the person at the keyboard (stderr, so stdout stays parseable). */
  notice(text: string): void {
    this.err.write(`${text}\n`);
  }

  waiting(count: number, nq: string): void {
    if (this.mode !== 'json') this.notice(`waiting for ${count} verdict(s) on notification queue ${nq}…`);
  }

  verdicts(rows: VerdictRow[]): void {
    if (this.mode === 'json') {
      for (const { file, record, sent, verdict } of rows) {
        this.json({ event: 'verdict', file, sha256: record.sha256, ingest_id: record.ingest_id, sid: verdict?.sid ?? null, score: verdict?.score ?? null, outcome: verdict?.outcome ?? null, failure: verdict ? verdict.failure : null, pending: verdict === null, sent });
      }
      return;
    }
    for (const line of verdictTable(rows)) this.out.write(`${line}\n`);
  }

  summary(summary: RunSummary, exitCode: number): void {
    if (this.mode === 'json') {
      this.json({ event: 'summary', files: summary.files, accepted: summary.accepted, skipped: summary.skipped, failed: summary.failed, not_sent: summary.notSent, interrupted: summary.interrupted, state: summary.state, notification_queue: summary.nq, exit_code: exitCode });
      return;
    }
    const counts = `${summary.accepted} accepted, ${summary.skipped} skipped (sent before), ${summary.failed} failed`;
    if (summary.interrupted) {
      this.line(`interrupted: sent ${summary.accepted} of ${summary.files} files (${counts}); ${summary.notSent} not sent: run the same command again to send them`);
    } else {
      this.line(`done: ${summary.files} files: ${counts}`);
    }
    if (summary.skipped) this.line(`resume state: ${summary.state} (--no-resume sends everything again; delete the file to forget it)`);
  }

  private line(text: string): void {
    if (this.bar) this.bar.log(text);
    else this.out.write(`${text}\n`);
  }

  private json(value: object): void {
    this.out.write(`${JSON.stringify(value)}\n`);
  }
}
