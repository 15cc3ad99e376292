import { BadRequestException, ConflictException, Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FilesRepository, ResultsRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { ExternalTaskWaits, FileGuard } from '@hopper/queues';
import { errorKey, errorRecord, ExternalFileLimits, recordProducedFile, resultRecord, StoredChild } from '@hopper/services';
import { safeBasename } from '../intake/safe-filename';
import type { ExternalTaskAt } from './external-task-queues';
import { parseTaskAnswer, TaskAnswer } from './task-answer';
import { discardTaskFiles, readTaskAnswerMultipart, StagedTaskFile, TaskFileKind } from './task-answer-multipart';

/** What the result route answers: the key the result (or error) is stored under. */
export interface StoredAnswer {
  success: true;
  key: string;
}

/** Refuses an answer to a task whose deadline has passed: the dispatcher has recorded a time-out instead. */
export function assertAwaited({ task }: ExternalTaskAt): void {
  if (Date.now() > Date.parse(task.deadline)) {
    throw new ConflictException(`Task ${task.task_id} expired at ${task.deadline}: its result is no longer awaited`);
  }
}

/**
 * Stores what an external service posts for a task: its error, or its result with the files it posted beside
 * it. A task takes one answer: it is settled first (ExternalTaskWaits), so a second answer, or one that lost
 * the race with the dispatcher's time-out, is refused (409); once stored, the waiting dispatch is woken.
 * Settled but not stored (the write failed) is taken back, so the service can post again. Posted files are stored as an in-process service's are (`recordProducedFile`: committed under their
 * sha256, documented with the submission's classification and expiry) and listed in the result's
 * `response.extracted` / `response.supplementary`, so the dispatcher analyses the extracted ones in turn.
 */
@Injectable()
export class TaskAnswers {
  private readonly logger = new Logger(TaskAnswers.name);

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
    @Inject(FILESTORE) private readonly filestore: Filestore,
    private readonly results: ResultsRepository,
    private readonly files: FilesRepository,
    private readonly guard: FileGuard,
    private readonly waits: ExternalTaskWaits,
  ) {}

  /** `{"result": …}` or `{"error": …}` as a JSON body (no files). */
  async fromJson(at: ExternalTaskAt, body: unknown): Promise<StoredAnswer> {
    const answer = parseTaskAnswer(at.manifest.name, body, false);
    return this.settled(at, () => (answer.kind === 'error' ? this.storeError(at, answer) : this.storeResult(at, answer, [])));
  }

  /** The same answer as the `json` part of a multipart body, followed by its `extracted` and `supplementary` files. */
  async fromMultipart(at: ExternalTaskAt, request: IncomingMessage): Promise<StoredAnswer> {
    const limits = this.fileLimits(at);
    const counts: Record<TaskFileKind, number> = { extracted: 0, supplementary: 0 };
    const filenames = new Set<string>();
    const { answer, files } = await readTaskAnswerMultipart(request, this.filestore, {
      maxJsonBytes: this.config.api.max_json_body,
      maxFileBytes: this.config.submission.max_file_size,
      maxFiles: limits.max_extracted + limits.max_supplementary,
      readAnswer: (json) => parseTaskAnswer(at.manifest.name, json, true),
      admitFile: (read, kind, filename) => {
        if (read.kind === 'error') throw new BadRequestException('An error carries no files: post files with a result');
        const declared = kind === 'extracted' ? at.manifest.produces_extracted : at.manifest.produces_supplementary;
        if (!declared) {
          throw new BadRequestException(`${at.manifest.name} posted ${kind} file ${filename} but its manifest does not declare produces_${kind}`);
        }
        const name = safeBasename(filename);
        if (!name) throw new BadRequestException(`The ${kind} part's filename ${JSON.stringify(filename)} leaves no usable name`);
        if (filenames.has(filename)) throw new BadRequestException(`Two file parts are named ${filename}: names must be unique within a result`);
        filenames.add(filename);
        const limit = kind === 'extracted' ? limits.max_extracted : limits.max_supplementary;
        if (++counts[kind] > limit) throw new BadRequestException(`Too many ${kind} files: this task allows ${limit} (${LIMIT_ORIGIN[kind]})`);
        return name;
      },
    });
    try {
      if (answer.kind === 'result') {
        const unposted = [...answer.descriptions.keys()].find((filename) => !filenames.has(filename));
        if (unposted !== undefined) throw new BadRequestException(`files names ${unposted}, but no extracted or supplementary part has that filename`);
      }
      // An upload can outlast the deadline: by then the dispatcher has recorded a time-out.
      assertAwaited(at);
    } catch (refusal) {
      await discardTaskFiles(files);
      throw refusal;
    }
    return this.settled(
      at,
      () => (answer.kind === 'error' ? this.storeError(at, answer) : this.storeResult(at, answer, files)),
      () => discardTaskFiles(files),
    );
  }

  /** Stores the answer if it settles the task (else `refused` runs and 409), then wakes the waiting dispatch. */
  private async settled({ task }: ExternalTaskAt, store: () => Promise<StoredAnswer>, refused: () => Promise<void> = async () => undefined): Promise<StoredAnswer> {
    const settledBy = await this.waits.settle(task.sid, task.task_id, 'answering', Date.parse(task.deadline));
    if (settledBy !== null) {
      await refused();
      throw new ConflictException(
        settledBy === 'timeout'
          ? `Task ${task.task_id} expired at ${task.deadline}: its result is no longer awaited`
          : `Task ${task.task_id} has already been answered`,
      );
    }
    let stored: StoredAnswer;
    try {
      stored = await store();
    } catch (error) {
      await this.waits.unsettle(task.sid, task.task_id).catch(() => undefined);
      throw error;
    }
    try {
      await this.waits.answered(task.sid, task.task_id);
      await this.waits.wake(task.sid);
    } catch (error) {
      // The answer is stored: a dispatch not woken finds it when its wait ends at the deadline.
      this.logger.warn({ sid: task.sid, task: task.task_id, err: (error as Error).message }, 'answer stored, dispatch not woken');
    }
    return stored;
  }

  /** The task's file allowance; a task queued before services could post files takes the submission defaults. */
  private fileLimits({ task }: ExternalTaskAt): ExternalFileLimits {
    const { submission } = this.config;
    return {
      max_extracted: task.max_extracted ?? submission.default_max_extracted,
      max_supplementary: task.max_supplementary ?? submission.default_max_supplementary,
    };
  }

  private async storeResult({ manifest, task, job }: ExternalTaskAt, answer: TaskAnswer & { kind: 'result' }, staged: StagedTaskFile[]): Promise<StoredAnswer> {
    const submission = { sid: task.sid, classification: task.classification, expiry_ts: task.expiry_ts ? new Date(task.expiry_ts) : null };
    const stored: Record<TaskFileKind, StoredChild[]> = { extracted: [], supplementary: [] };
    const combine = (held: string, seen: string) => this.engine.max(held, seen);
    for (const [index, file] of staged.entries()) {
      try {
        const description = answer.descriptions.get(file.filename) ?? '';
        stored[file.kind].push(await recordProducedFile(this.files, this.guard, combine, file, { name: file.name, description }, submission));
      } catch (error) {
        await discardTaskFiles(staged.slice(index + 1));
        throw error;
      }
    }
    const started = new Date(job.processedOn ?? job.timestamp);
    const record = resultRecord(submission, task.file, manifest, task.result_key, { body: answer.body, ...stored }, started, this.config.submission.emptyresult_dtl);
    await this.results.saveResult(record);
    return { success: true, key: record._id };
  }

  private async storeError({ manifest, task }: ExternalTaskAt, answer: TaskAnswer & { kind: 'error' }): Promise<StoredAnswer> {
    const submission = { sid: task.sid, expiry_ts: task.expiry_ts ? new Date(task.expiry_ts) : null };
    const key = errorKey(task.result_key, task.sid);
    await this.results.saveError(errorRecord(submission, task.file.sha256, manifest, key, { type: 'EXCEPTION', message: answer.message, recoverable: answer.recoverable }));
    return { success: true, key };
  }
}

const LIMIT_ORIGIN: Record<TaskFileKind, string> = {
  extracted: "the submission's max_extracted",
  supplementary: "what the submission's max_supplementary had left when the task was queued",
};
