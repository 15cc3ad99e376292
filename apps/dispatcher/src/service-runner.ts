import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { ResultRecord, ResultsRepository, ServiceErrorRecord, SubmissionRecord } from '@hopper/datastore';
import {
  AnalysisService,
  errorKey,
  errorRecord,
  ExternalFileLimits,
  parseServiceResult,
  resolveServiceParams,
  resultKey,
  resultRecord,
  ServiceManifest,
  ServiceOutput,
  ServiceTask,
  TaskFile,
} from '@hopper/services';
import { AwaitedTask, ExternalServices } from './external-services';
import { ResultWrites } from './result-writes';
import { sharedFileOpener } from './shared-file-opener';
import { ServiceCatalog } from './service-catalog';
import { ServiceFailure } from './service-failure';
import { ProducedFileSink, TaskRunContext } from './task-run-context';

/**
 * One service's outcome on one file: its result (fresh or reused) or its error, or an external service's task
 * that has no answer yet (the dispatch waits for it and runs again).
 */
export type RunOutcome =
  | { kind: 'result'; key: string; record: ResultRecord; reused: boolean }
  | { kind: 'error'; key: string; record: ServiceErrorRecord }
  | { kind: 'waiting'; key: string; task: AwaitedTask };

/** How a stage looks up what is already stored. */
export interface StageLookups {
  /** Stored results are looked up (none can exist for a file new to Hopper on a first attempt). */
  lookUpResults: boolean;
  /**
   * The errors this submission recorded are reused too: the dispatch is resuming after waiting for an external
   * service, and a service that failed before it waited is not run again.
   */
  reuseOwnErrors?: boolean;
}

/** Why a run's signal fires once it is over: one shared reason, no stack to make per run. */
const RUN_OVER = new Error('run over');

/**
 * Runs the services of one stage on one file of a submission. Their result keys (file, service, version,
 * inputs) are looked up first, all at once: a stored result is reused unless the submission asked for
 * ignore_cache, and even then when this same submission stored it (an earlier attempt that died), so a re-run
 * never analyses twice. The other services run at once, each within its timeout; a validated result is stored
 * under its key, a failure as an error of this submission.
 */
@Injectable()
export class ServiceRunner {
  private readonly logger = new Logger(ServiceRunner.name);

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(FILESTORE) private readonly filestore: Filestore,
    private readonly results: ResultsRepository,
    private readonly catalog: ServiceCatalog,
    private readonly external: ExternalServices,
    private readonly writes: ResultWrites,
  ) {}

  /** How in-process services open `file`: one per file, shared by its stages (see sharedFileOpener). */
  fileOpener(file: TaskFile): () => Promise<Readable> {
    return sharedFileOpener(this.filestore, file);
  }

  /**
   * `sink` stores what in-process services produce; `fileLimits` bounds what external ones may post; `open` is
   * how they open the file (pass the file's `fileOpener` to share one small read across its stages).
   */
  async runStage(
    submission: SubmissionRecord,
    file: TaskFile,
    depth: number,
    stage: readonly ServiceManifest[],
    sink: ProducedFileSink,
    fileLimits: ExternalFileLimits,
    options: StageLookups = { lookUpResults: true },
    open: () => Promise<Readable> = this.fileOpener(file),
  ): Promise<RunOutcome[]> {
    const runs = stage.map((manifest) => {
      const task = taskFor(submission, file, depth, manifest);
      return { manifest, task, key: resultKey(file.sha256, manifest, { params: task.params, deep_scan: task.deep_scan, temp_data: task.temp_data }) };
    });
    // One lookup by _id per key, side by side: FerretDB serves `_id` equality from its index but scans for `$in`.
    // None for a file new to Hopper on a first attempt: nothing can be stored under its keys yet.
    const stored = options.lookUpResults ? await Promise.all(runs.map((run) => this.results.findResult(run.key))) : runs.map(() => null);
    return Promise.all(
      runs.map(({ manifest, task, key }, index) => {
        const reusable = stored[index];
        // An external service's answer to this submission is collected by ExternalServices (its error wins).
        const answerOfExternal = manifest.is_external && reusable?.sid === submission.sid;
        if (reusable && !answerOfExternal && (!submission.params.ignore_cache || reusable.sid === submission.sid)) {
          return { kind: 'result' as const, key, record: reusable, reused: true };
        }
        return this.run(submission, manifest, task, key, sink, fileLimits, options, open);
      }),
    );
  }

  private async run(
    submission: SubmissionRecord,
    manifest: ServiceManifest,
    task: ServiceTask,
    key: string,
    sink: ProducedFileSink,
    fileLimits: ExternalFileLimits,
    lookups: StageLookups,
    open: () => Promise<Readable>,
  ): Promise<RunOutcome> {
    const { file } = task;

    const started = new Date();
    try {
      // An external service's result is stored by the API route it posts to; the dispatcher only collects it.
      if (manifest.is_external) {
        const externalTask = { ...task, classification: submission.classification, expiry_ts: submission.expiry_ts };
        const outcome = await this.external.collect(manifest, externalTask, key, fileLimits, lookups.lookUpResults);
        return outcome.kind === 'waiting' ? { kind: 'waiting', key, task: outcome.task } : { kind: 'result', key, record: outcome.record, reused: false };
      }
      if (lookups.reuseOwnErrors) {
        const own = await this.results.findError(errorKey(key, submission.sid));
        if (own) return { kind: 'error', key: own._id, record: own };
      }
      const output = await this.runInProcess(this.catalog.inProcess(manifest.name), task, sink, open);
      const record = resultRecord(submission, file, manifest, key, output, started, this.config.submission.emptyresult_dtl);
      await this.writes.saveResult(record);
      return { kind: 'result', key, record, reused: false };
    } catch (error) {
      const failure = ServiceFailure.from(error);
      this.logger.warn({ sid: submission.sid, sha256: file.sha256, service: manifest.name, err: failure.message }, 'service failed');
      const record = errorRecord(submission, file.sha256, manifest, errorKey(key, submission.sid), failure);
      await this.results.saveError(record);
      return { kind: 'error', key: record._id, record };
    }
  }

  private async runInProcess(service: AnalysisService, task: ServiceTask, sink: ProducedFileSink, open: () => Promise<Readable>): Promise<ServiceOutput> {
    const { manifest } = service;
    const controller = new AbortController();
    // The failure is made when the time is up, not before: an error's stack costs, and most runs finish in time.
    const timer = setTimeout(() => controller.abort(ServiceFailure.timedOut(manifest.name, manifest.timeout_seconds)), manifest.timeout_seconds * 1000);
    const context = new TaskRunContext(task, controller.signal, manifest, open, sink);
    // A service that ignores its signal is left behind (its later output is refused), never waited for.
    const timedOut = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
    try {
      const body = parseServiceResult(manifest.name, await Promise.race([service.execute(context), timedOut]));
      return { body, extracted: context.extracted, supplementary: context.supplementary };
    } finally {
      clearTimeout(timer);
      if (!controller.signal.aborted) controller.abort(RUN_OVER);
    }
  }
}

/** The task a service gets: the file, its depth, its resolved parameters and the submission's temporary data. */
export function taskFor(submission: SubmissionRecord, file: TaskFile, depth: number, manifest: ServiceManifest): ServiceTask {
  const { params } = submission;
  return {
    sid: submission.sid,
    file,
    depth,
    params: resolveServiceParams(manifest, params.service_spec[manifest.name]),
    temp_data: parseInitialData(params.initial_data),
    deep_scan: params.deep_scan,
  };
}

/** Assemblyline's initial_data: a JSON object in a string (e.g. `{"passwords": [...]}`); anything else is no data. */
export function parseInitialData(initialData: string | null | undefined): Record<string, unknown> {
  if (!initialData) return {};
  try {
    const parsed: unknown = JSON.parse(initialData);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
