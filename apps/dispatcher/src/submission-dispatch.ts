import { Inject, Injectable, Logger } from '@nestjs/common';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FileTreeNode, FilesRepository, ResultsRepository, SubmissionOutcome, SubmissionRecord } from '@hopper/datastore';
import { ExternalTaskWaits, SubmissionProgress } from '@hopper/queues';
import { errorRecord, ProducedFile, selectedServices, servicesForFile, StoredChild } from '@hopper/services';
import { ChildFileStore } from './child-file-store';
import { AwaitingExternalServices } from './awaiting-external-services';
import { DispatcherMetrics } from './dispatcher-metrics';
import { applyScores, attachChild } from './file-tree';
import { ProgressMarks } from './progress-marks';
import { ServiceCatalog } from './service-catalog';
import { ServiceFailure } from './service-failure';
import { RunOutcome, ServiceRunner } from './service-runner';
import { UnavailableService, unavailableServiceMessage, unavailableServices } from './unavailable-services';

/** The submission cannot be analysed at all (its files are gone): it ends as failed with this reason. */
export class SubmissionCannotProceed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmissionCannotProceed';
  }
}

/** A file waiting for analysis, with the tree node its children hang from. */
interface PendingFile {
  sha256: string;
  name: string;
  depth: number;
  node: FileTreeNode;
}

/** The dispatcher's own name on the errors it records (limits reached), where Assemblyline names no service. */
const DISPATCHER = { name: 'Dispatcher', version: '1' };
const MAX_NAME_LENGTH = 255;

interface SubmissionLimits {
  maxDepth: number;
  maxExtracted: number;
  maxSupplementary: number;
  ignoreRecursion: boolean;
}

/**
 * Analyses one submission: its files, then the files services extract from them, breadth first. Each file
 * goes through the selected services that accept its type, stage by stage (a stage's services run
 * together). Extracted files are analysed while their depth is below `max_extraction_depth` and the
 * submission has extracted fewer than `max_extracted`; a file already analysed in this submission is not
 * analysed again unless recursion prevention is off. Answers the outcome; the caller records it.
 */
@Injectable()
export class SubmissionDispatch {
  private readonly logger = new Logger(SubmissionDispatch.name);

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    private readonly files: FilesRepository,
    private readonly results: ResultsRepository,
    private readonly runner: ServiceRunner,
    private readonly children: ChildFileStore,
    private readonly catalog: ServiceCatalog,
    private readonly metrics: DispatcherMetrics,
    private readonly progress: SubmissionProgress,
    private readonly waits: ExternalTaskWaits,
  ) {}

  /**
   * `known`: the submitted files as the ingester recorded them (type, size, whether new to Hopper), handed with
   * a first attempt: their documents are not read, and a new file's results are not looked up (none can exist).
   *
   * Throws AwaitingExternalServices when a stage has external tasks without an answer: the caller waits for
   * them without a worker slot and calls this again, which goes over what is stored (results and this
   * submission's errors, so nothing runs twice) up to where it stopped.
   */
  async analyse(submission: SubmissionRecord, known: KnownFiles = {}): Promise<SubmissionOutcome> {
    const marks = new ProgressMarks(this.progress, submission.sid, this.logger);
    // Only a run without the ingester's file records can follow a wait; one Redis lookup says whether it does.
    const resuming = Object.keys(known).length === 0 && (await this.waits.hasWaited(submission.sid));
    if (!resuming) marks.preparing();
    const { params } = submission;
    const selection = { selected: params.services.selected, excluded: params.services.excluded };
    const services = selectedServices(this.catalog.manifests, selection);
    const limits = this.limitsOf(params);
    const tree: Record<string, FileTreeNode> = {};
    const pending: PendingFile[] = [];
    for (const file of submission.files) {
      const { node, added } = attachChild(tree, file.sha256, file.name, '', file.size ?? 0);
      if (added) pending.push({ sha256: file.sha256, name: file.name, depth: 0, node });
    }

    const analysed = new Set<string>();
    const scores = new Map<string, number>();
    const resultKeys: string[] = [];
    const errorKeys: string[] = await this.recordUnavailable(submission, unavailableServices(this.catalog.manifests, selection));
    // Counted once the walk is over, so a run that stops to wait counts nothing and each outcome counts once.
    const runs: Array<{ service: string; outcome: 'ran' | 'reused' | 'error' }> = [];
    let extracted = 0;
    let supplementary = 0;
    const sink = async (file: ProducedFile, kind: 'extracted' | 'supplementary'): Promise<StoredChild> => {
      if (kind === 'supplementary' && ++supplementary > limits.maxSupplementary) {
        file.stream.destroy();
        throw new ServiceFailure(`Too many supplementary files: the submission's limit is ${limits.maxSupplementary}`, 'MAX FILES REACHED', false);
      }
      const name = file.name.replace(/\0/g, '').slice(0, MAX_NAME_LENGTH) || 'unnamed';
      return this.children.store(file.stream, name, file.description, submission);
    };

    for (let index = 0; index < pending.length; index++) {
      const file = pending[index];
      if (analysed.has(file.sha256) && !limits.ignoreRecursion) continue;
      analysed.add(file.sha256);
      const handed = file.depth === 0 ? known[file.sha256] : undefined;
      const record = handed ? { sha256: file.sha256, type: handed.type, size: handed.size } : await this.files.findBySha256(file.sha256);
      if (!record) {
        if (file.depth === 0) throw new SubmissionCannotProceed(`File ${file.sha256} of the submission is not in the datastore`);
        continue;
      }
      Object.assign(file.node, { type: record.type, size: record.size });
      const taskFile = { sha256: record.sha256, type: record.type, name: file.name, size: record.size };

      let score = 0;
      const produced: StoredChild[] = [];
      const open = this.runner.fileOpener(taskFile);
      for (const stage of servicesForFile(services, record.type)) {
        marks.serviceStageStarting();
        const fileLimits = { max_extracted: limits.maxExtracted, max_supplementary: Math.max(0, limits.maxSupplementary - supplementary) };
        const outcomes: RunOutcome[] = await this.runner.runStage(submission, taskFile, file.depth, stage, sink, fileLimits, {
          lookUpResults: !handed?.new,
          reuseOwnErrors: resuming,
        }, open);
        const awaited = outcomes.flatMap((outcome) => (outcome.kind === 'waiting' ? [outcome.task] : []));
        if (awaited.length) throw new AwaitingExternalServices(submission.sid, awaited);
        for (const [index, outcome] of outcomes.entries()) {
          if (outcome.kind === 'waiting') continue;
          // A result this submission stored in an earlier run (before a wait) ran for it: only another's is reused.
          const reused = outcome.kind === 'result' && outcome.reused && outcome.record.sid !== submission.sid;
          runs.push({ service: stage[index].name, outcome: outcome.kind === 'error' ? 'error' : reused ? 'reused' : 'ran' });
          if (outcome.kind === 'error') {
            errorKeys.push(outcome.key);
            continue;
          }
          resultKeys.push(outcome.key);
          score += outcome.record.result.score;
          produced.push(...outcome.record.response.extracted);
          // Files this submission's services stored before this run (an external service's, through the API, or
          // an in-process one's before a wait) count like the ones stored through `sink` now.
          const storedBefore = outcome.record.sid === submission.sid && (stage[index].is_external || outcome.reused);
          if (storedBefore) supplementary += outcome.record.response.supplementary.length;
        }
      }
      scores.set(file.sha256, Math.max(scores.get(file.sha256) ?? 0, score));

      const refused = { depth: 0, count: 0 };
      for (const child of produced) {
        const { node, added } = attachChild(file.node.children, child.sha256, child.name, child.type, child.size);
        if (!added) continue;
        if (file.depth + 1 >= limits.maxDepth) refused.depth++;
        else if (extracted >= limits.maxExtracted) refused.count++;
        else {
          extracted++;
          pending.push({ sha256: child.sha256, name: child.name, depth: file.depth + 1, node });
          continue;
        }
        delete file.node.children[child.sha256];
        file.node.truncated = true;
      }
      errorKeys.push(...(await this.recordRefusals(submission, file, refused, limits)));
    }

    for (const run of runs) this.metrics.serviceRuns.inc(run);
    await marks.processing();
    applyScores(tree, scores);
    return {
      state: 'completed',
      max_score: Math.max(0, ...scores.values()),
      errors: errorKeys,
      results: resultKeys,
      failure: null,
      completed: new Date(),
      file_tree: tree,
    };
  }

  private limitsOf(params: SubmissionRecord['params']): SubmissionLimits {
    return {
      maxDepth: this.config.submission.max_extraction_depth,
      maxExtracted: params.max_extracted,
      maxSupplementary: params.max_supplementary,
      ignoreRecursion: params.ignore_recursion_prevention || params.ignore_dynamic_recursion_prevention,
    };
  }

  /**
   * One error per submitted file and selected service that cannot run (not registered, or disabled), so the
   * submitter sees that analysis is missing rather than a clean result. The submission still completes with
   * what the other services found.
   */
  private async recordUnavailable(submission: SubmissionRecord, unavailable: UnavailableService[]): Promise<string[]> {
    if (!unavailable.length) return [];
    this.logger.warn({ sid: submission.sid, services: unavailable.map((service) => service.name) }, 'selected services that cannot run');
    const keys: string[] = [];
    for (const sha256 of new Set(submission.files.map((file) => file.sha256))) {
      for (const service of unavailable) {
        const key = `${sha256}.${service.name}.unavailable.${submission.sid}.e`;
        const manifest = { name: service.name, version: 'none' };
        await this.results.saveError(errorRecord(submission, sha256, manifest, key, { type: 'SERVICE DOWN', message: unavailableServiceMessage(service), recoverable: false }));
        keys.push(key);
      }
    }
    return keys;
  }

  /** One error per parent and limit, naming how many files were not analysed (Assemblyline's limit errors). */
  private async recordRefusals(submission: SubmissionRecord, parent: PendingFile, refused: { depth: number; count: number }, limits: SubmissionLimits): Promise<string[]> {
    const keys: string[] = [];
    const limitErrors = [
      refused.depth > 0 && {
        slug: 'depth',
        type: 'MAX DEPTH REACHED' as const,
        message: `${refused.depth} file(s) extracted from ${parent.sha256} at depth ${parent.depth} were not analysed: max_extraction_depth is ${limits.maxDepth}`,
      },
      refused.count > 0 && {
        slug: 'files',
        type: 'MAX FILES REACHED' as const,
        message: `${refused.count} file(s) extracted from ${parent.sha256} were not analysed: the submission reached max_extracted (${limits.maxExtracted})`,
      },
    ];
    for (const limit of limitErrors) {
      if (!limit) continue;
      const key = `${parent.sha256}.${DISPATCHER.name}.${limit.slug}.${submission.sid}.e`;
      await this.results.saveError(errorRecord(submission, parent.sha256, DISPATCHER, key, { type: limit.type, message: limit.message, recoverable: false }));
      keys.push(key);
    }
    return keys;
  }
}

/** Submitted files by sha256, as the ingester recorded them (DispatchTask.files). */
export type KnownFiles = Record<string, { type: string; size: number; new: boolean }>;

