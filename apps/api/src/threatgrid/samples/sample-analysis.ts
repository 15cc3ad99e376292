import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { text } from 'node:stream/consumers';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FileRecord, FilesRepository, FileTreeNode, ResultFileRef, ResultRecord, SubmissionRecord } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import type { AuthenticatedUser } from '../../auth/auth.service';
import { VisibleSubmissions } from '../../submissions/visible-submissions';
import { renderAnalysis, ThreatGridAnalysis } from '../analysis';
import { TgError } from '../http/tg-envelope';
import { VisibleSamples } from './visible-samples';

/** processes.json larger than this is not inlined into analysis.json (it is still served on its own). */
const MAX_INLINE_PROCESSES_BYTES = 4 * 1024 * 1024;

/** A supplementary file a service produced for a sample, found by its Threat Grid name. */
export interface SampleArtifact {
  ref: ResultFileRef;
  result: ResultRecord;
}

/**
 * What Threat Grid's result routes are made of: a sample's results, errors and files, loaded as the caller
 * may see them, and rendered as analysis.json; supplementary files by name (network.pcap, video.webm …).
 */
@Injectable()
export class SampleAnalysis {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    private readonly samples: VisibleSamples,
    private readonly visible: VisibleSubmissions,
    private readonly files: FilesRepository,
    @Inject(FILESTORE) private readonly filestore: Filestore,
  ) {}

  /** The sample's analysis.json; 404 while it is still being analysed (there is nothing final to read yet). */
  async analysis(request: Request, auth: AuthenticatedUser, submission: SubmissionRecord): Promise<ThreatGridAnalysis> {
    if (submission.state === 'submitted') throw notFinished(submission.sid);
    const [results, errors, files] = await Promise.all([
      this.visible.resultsOf(auth, submission),
      this.visible.errorsOf(submission),
      this.filesOf(submission),
    ]);
    const tg = submission.threatgrid;
    return renderAnalysis({
      sampleId: submission.sid,
      permalink: this.samples.permalink(request, submission.sid),
      submission,
      files,
      results,
      errors,
      processes: await this.inlineProcesses(results),
      dynamicService: this.config.threatgrid.dynamic_service,
      vm: tg?.vm ?? null,
      playbook: tg?.playbook ?? null,
      network_exit: tg?.network_exit ?? null,
    });
  }

  /** The first supplementary file named `name` among the results the caller may see, or null. */
  async artifact(auth: AuthenticatedUser, submission: SubmissionRecord, name: string): Promise<SampleArtifact | null> {
    return findArtifact(await this.visible.resultsOf(auth, submission), name);
  }

  private async inlineProcesses(results: ResultRecord[]): Promise<unknown | null> {
    const found = findArtifact(results, 'processes.json');
    if (!found || found.ref.size > MAX_INLINE_PROCESSES_BYTES) return null;
    try {
      return JSON.parse(await text(await this.filestore.get(found.ref.sha256)));
    } catch {
      return null; // a service's malformed processes.json is served raw, not rendered
    }
  }

  /** The records of every file of the submission (submitted and extracted), read side by side by _id. */
  private async filesOf(submission: SubmissionRecord): Promise<Map<string, FileRecord>> {
    const sha256s = new Set(submission.files.map((file) => file.sha256));
    const walk = (nodes: Record<string, FileTreeNode> | null) => {
      for (const node of Object.values(nodes ?? {})) {
        sha256s.add(node.sha256);
        walk(node.children);
      }
    };
    walk(submission.file_tree);
    const records = await Promise.all([...sha256s].map((sha256) => this.files.findBySha256(sha256)));
    return new Map(records.filter((record): record is FileRecord => record !== null).map((record) => [record.sha256, record]));
  }
}

function findArtifact(results: ResultRecord[], name: string): SampleArtifact | null {
  for (const result of results) {
    const ref = result.response.supplementary.find((file) => file.name === name);
    if (ref) return { ref, result };
  }
  return null;
}

export const notFinished = (id: string): TgError => new TgError(`The analysis of sample ${id} is not finished.`, 404);
