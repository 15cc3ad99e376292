import { Command, InvalidArgumentError } from 'commander';
import { randomBytes } from 'node:crypto';
import { ApiError, HopperApi } from '../api/hopper-api';
import { wholeNumber, withServerOptions } from '../api/server-options';
import { resolveServerSettings } from '../api/server-settings';
import { collectFiles } from './collect-files';
import { IngestReporter, OutputMode, VerdictRow } from './ingest-report';
import { defaultStateFile, IngestState } from './ingest-state';
import { ProgressCounts } from './progress';
import { UploadControl, uploadFiles } from './upload-files';
import { waitForVerdicts } from './wait-verdicts';

/** Exit codes of `hopper ingest`. */
export const EXIT = { ok: 0, failed: 1, scoredAbove: 2, interrupted: 130 } as const;

interface IngestOptions {
  server?: string;
  user?: string;
  apikey?: string;
  concurrency: number;
  param?: Record<string, unknown>;
  params?: Record<string, unknown>;
  metadata?: Record<string, string>;
  profile?: string;
  classification?: string;
  nq?: string;
  notificationThreshold?: number;
  wait?: boolean;
  timeout: number;
  failAbove?: number;
  json?: boolean;
  progress: boolean;
  state?: string;
  resume: boolean;
  retries: number;
}

/** `key=value`, repeatable, into an object; the value parsed as JSON when it is JSON (true, 500, […]). */
function keyValue(parseValue: boolean) {
  return (pair: string, previous: Record<string, unknown> = {}) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new InvalidArgumentError(`expected key=value, got "${pair}"`);
    const raw = pair.slice(at + 1);
    let value: unknown = raw;
    if (parseValue) {
      try {
        value = JSON.parse(raw);
      } catch {
        value = raw;
      }
    }
    return { ...previous, [pair.slice(0, at)]: value };
  };
}

function jsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError('must be a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidArgumentError('must be a JSON object');
  return value as Record<string, unknown>;
}

/** `hopper ingest PATH…`: bulk upload to `POST /api/v4/ingest/` with progress, resume and verdicts. */
export function ingestCommand(): Command {
  const command = new Command('ingest')
    .description('send files and folders (recursively; globs too) to Hopper\'s ingest API, resuming where the last run stopped')
    .argument('<paths...>', 'files, folders (walked recursively) or globs (quote them: "samples/**/*.exe")')
    .option('-c, --concurrency <n>', 'uploads at a time', wholeNumber(1), 4)
    .option('--param <key=value>', 'a submission parameter (value read as JSON when it is: deep_scan=true, priority=500); repeatable', keyValue(true))
    .option('--params <json>', 'submission parameters as one JSON object (--param wins)', jsonObject)
    .option('--metadata <key=value>', 'a metadata field; repeatable', keyValue(false))
    .option('--profile <name>', 'submission profile (submission_profile)')
    .option('--classification <c12n>', 'classification of the submissions (params.classification)')
    .option('--nq <name>', 'notification queue the ingester reports to (default with --wait: a new one per run)')
    .option('--notification-threshold <score>', 'notify only at or above this score (not with --wait)', wholeNumber(0))
    .option('--wait', 'follow the notifications, print a verdict table (file, sha256, sid, score, new/cached)')
    .option('--timeout <seconds>', 'with --wait: stop waiting after this long', wholeNumber(1), 3600)
    .option('--fail-above <score>', 'with --wait: exit 2 when any file scored above this', wholeNumber(0))
    .option('--json', 'one JSON object per line on stdout (accepted, skipped, failed, verdict, summary)')
    .option('--no-progress', 'plain lines even on a terminal')
    .option('--state <file>', 'resume state file (default: per server and user, under $XDG_STATE_HOME or ~/.local/state/hopper/ingest/)')
    .option('--no-resume', 'send every file, even those the state says were sent')
    .option('--retries <n>', 'retries of an upload refused for now (503, 429, connection reset)', wholeNumber(0), 5)
    .addHelpText(
      'after',
      [
        '',
        'Exit status: 0 all sent (and, with --wait, every verdict in and none above --fail-above);',
        '1 an upload failed, or a verdict failed or never came; 2 a file scored above --fail-above; 130 interrupted.',
        'Ctrl-C stops starting uploads and lets those in flight finish; a second Ctrl-C aborts them.',
      ].join('\n'),
    )
    .action(async (paths: string[], options: IngestOptions) => {
      process.exitCode = await runIngest(paths, options);
    });
  return withServerOptions(command);
}

/**
 * One call before any upload (`GET /api/v4/user/whoami/`): a wrong URL, a refused key or a key without
 * `submission_create` stops the run with one clear message instead of a failure per file.
 */
async function checkCanIngest(api: HopperApi, url: string, user: string): Promise<void> {
  let whoami: { roles?: unknown };
  try {
    whoami = await api.getJson<{ roles?: unknown }>('api/v4/user/whoami/');
  } catch (error) {
    if (error instanceof ApiError) throw new Error(`${url} refused user ${user} (${error.message}): nothing was sent`);
    throw new Error(`Cannot reach ${url} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): nothing was sent`);
  }
  if (Array.isArray(whoami?.roles) && !whoami.roles.includes('submission_create')) {
    throw new Error(`User ${user} may not ingest on ${url} (no submission_create role for this key): nothing was sent`);
  }
}

async function runIngest(paths: string[], options: IngestOptions): Promise<number> {
  if (options.wait && options.notificationThreshold !== undefined) {
    throw new Error('--notification-threshold leaves files under it without a message: --wait could not finish; drop one of them');
  }
  if (options.failAbove !== undefined && !options.wait) throw new Error('--fail-above needs --wait (it judges the verdicts)');
  const settings = resolveServerSettings(options);
  const api = new HopperApi(settings);
  const { files, missing } = await collectFiles(paths);
  if (missing.length) throw new Error(`Nothing found at ${missing.map((path) => `"${path}"`).join(', ')}: nothing was sent`);
  await checkCanIngest(api, settings.url, settings.user);

  const state = new IngestState(options.state ?? defaultStateFile(settings.url, settings.user));
  const nq = options.nq ?? (options.wait ? `hopper-cli-${randomBytes(8).toString('hex')}` : null);
  const params = { ...(options.params ?? {}), ...(options.param ?? {}), ...(options.classification ? { classification: options.classification } : {}) };
  const dataBlock = (): Record<string, unknown> => ({
    ...(Object.keys(params).length ? { params } : {}),
    ...(options.metadata && Object.keys(options.metadata).length ? { metadata: options.metadata } : {}),
    ...(options.profile ? { submission_profile: options.profile } : {}),
    ...(nq ? { notification_queue: nq } : {}),
    ...(options.notificationThreshold !== undefined ? { notification_threshold: options.notificationThreshold } : {}),
  });

  const startedAt = Date.now();
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  const counts = { finishedBytes: 0, inFlightBytes: 0, sentBytes: 0, doneFiles: 0, failed: 0 };
  const progress = (): ProgressCounts => ({
    totalFiles: files.length,
    totalBytes,
    doneFiles: counts.doneFiles,
    doneBytes: counts.finishedBytes + counts.inFlightBytes,
    sentBytes: counts.sentBytes,
    failed: counts.failed,
    elapsedMs: Date.now() - startedAt,
  });
  const mode: OutputMode = options.json ? 'json' : process.stdout.isTTY && options.progress ? 'terminal' : 'plain';
  const reporter = new IngestReporter(mode, process.stdout, process.stderr, progress);

  const control = new UploadControl();
  let interrupted = false;
  let waiting = false;
  const onSigint = () => {
    if (interrupted) {
      control.abort();
      return;
    }
    interrupted = true;
    control.stop();
    reporter.notice(waiting ? 'interrupted: no longer waiting for verdicts' : 'interrupted: starting no new upload; those in flight finish (Ctrl-C again aborts them)');
  };
  process.on('SIGINT', onSigint);
  try {
    reporter.started();
    const summary = await uploadFiles(
      files,
      {
        api,
        state,
        resume: options.resume,
        concurrency: options.concurrency,
        retries: options.retries,
        dataBlock,
        onBytes: (bytes) => {
          counts.inFlightBytes += bytes;
          if (bytes > 0) counts.sentBytes += bytes;
          reporter.progress();
        },
        onOutcome: (outcome) => {
          counts.doneFiles++;
          counts.finishedBytes += outcome.file.size;
          if (outcome.kind === 'accepted') counts.inFlightBytes -= outcome.file.size;
          if (outcome.kind === 'failed') counts.failed++;
          reporter.outcome(outcome);
        },
      },
      control,
    );
    reporter.uploadsDone();

    const byKind = (kind: string) => summary.outcomes.filter((outcome) => outcome.kind === kind);
    const rows: VerdictRow[] = [];
    if (options.wait && !interrupted) {
      for (const outcome of summary.outcomes) {
        if (outcome.kind === 'failed') continue;
        rows.push({ file: outcome.file.display, record: outcome.record, sent: outcome.kind === 'accepted' ? 'now' : 'before', verdict: outcome.record.verdict ?? null });
      }
      rows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
      const fresh = rows.filter((row) => row.sent === 'now').map((row) => row.record);
      const earlier = rows.filter((row) => row.sent === 'before' && !row.verdict).map((row) => row.record);
      if (fresh.length || earlier.length) reporter.waiting(fresh.length + earlier.length, nq!);
      waiting = true;
      await waitForVerdicts(fresh, earlier, {
        api,
        nq: nq!,
        timeoutMs: options.timeout * 1000,
        pollMs: 1000,
        stopped: () => interrupted,
        onVerdict: (record, verdict) => {
          state.recordVerdict(record, verdict);
          const row = rows.find((candidate) => candidate.record === record);
          if (row) row.verdict = verdict;
        },
      });
      reporter.verdicts(rows);
    }

    const failed = byKind('failed').length;
    const exitCode = interrupted
      ? EXIT.interrupted
      : options.failAbove !== undefined && rows.some((row) => (row.verdict?.score ?? -Infinity) > options.failAbove!)
        ? EXIT.scoredAbove
        : failed || rows.some((row) => !row.verdict || row.verdict.failure)
          ? EXIT.failed
          : EXIT.ok;
    reporter.summary(
      {
        files: files.length,
        accepted: byKind('accepted').length,
        skipped: byKind('skipped').length,
        failed,
        notSent: summary.notSent.length,
        interrupted,
        state: state.file,
        nq,
      },
      exitCode,
    );
    return exitCode;
  } finally {
    process.off('SIGINT', onSigint);
    state.close();
  }
}
