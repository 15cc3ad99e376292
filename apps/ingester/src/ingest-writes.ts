import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FileSighting, FilesRepository, NewFile, NewSubmission, SubmissionRecord, SubmissionsRepository, WriteBatcher } from '@hopper/datastore';
import { outageOf } from '@hopper/observability';
import { BlobNotFoundError, FILESTORE, Filestore } from '@hopper/filestore';
import { identifyStored } from '@hopper/identify';
import { FileGuard, IngestFileSighting, PendingFiles } from '@hopper/queues';

/**
 * The ingester's MongoDB writes, batched across the jobs in flight: the file sighting the API measured (one
 * `bulkWrite` of upserts per batch, then its pending record in Redis dropped in one pipeline) and the submission document of a new scan (one `insertMany`). A job awaits
 * its write, so it is acknowledged only once the batch holding it is stored.
 */
@Injectable()
export class IngestWrites implements OnApplicationShutdown {
  private readonly sightings: WriteBatcher<FileSighting, { created: boolean }>;
  private readonly submissions: WriteBatcher<NewSubmission, SubmissionRecord>;

  constructor(
    @Inject(HOPPER_CONFIG) config: HopperConfig,
    @Inject(CLASSIFICATION_ENGINE) engine: ClassificationEngine,
    files: FilesRepository,
    submissionsRepository: SubmissionsRepository,
    pending: PendingFiles,
    private readonly guard: FileGuard,
    @Inject(FILESTORE) private readonly filestore: Filestore,
  ) {
    const { max_documents, max_wait_ms } = config.workers.ingester.write_batch;
    const limits = { maxItems: max_documents, maxWaitMs: max_wait_ms };
    // A batch that failed for another reason than an outage is written again item by item: one document the
    // database refuses then fails only its own ingest, as a permanent error.
    const isolate = (error: unknown) => outageOf(error) === null;
    this.sightings = new WriteBatcher(async (batch) => {
      const recorded = await files.recordSeenMany(batch, (stored, seen) => engine.max(stored, seen));
      // Recorded: the API's lookups by sha256 find them in `files` from now on.
      await pending.forget(batch.map(({ file }) => file));
      return recorded;
    }, limits, isolate);
    this.submissions = new WriteBatcher((batch) => submissionsRepository.createManyIfAbsent(batch), limits, isolate);
  }

  /**
   * Records the sighting (seen count, classification raised, life extended); `created`: the file is new to
   * Hopper; `type`: the file's. Under the file's guard, as every sighting (the expiry protocol): no deletion of
   * the file runs meanwhile, and the blob the API committed is checked first, so a deletion that took it since
   * (the file had expired) fails this ingest rather than leave a document without content. A sighting without
   * a type (an upload: the API does not identify) is identified from the stored blob's head, whose read is
   * that check.
   */
  recordSighting(sighting: IngestFileSighting): Promise<{ created: boolean; type: string }> {
    const { sha256 } = sighting.file;
    return this.guard.sighting(sha256, async () => {
      const file = await this.identified(sighting.file);
      const { created } = await this.sightings.add({
        file,
        now: new Date(sighting.seen_at),
        expiry: sighting.expiry === null ? null : new Date(sighting.expiry),
      });
      return { created, type: file.type };
    });
  }

  /** The sighted file with its type: as the task gives it, else identified from the stored blob's head. */
  private async identified(file: IngestFileSighting['file']): Promise<NewFile> {
    if (file.type === undefined) return { ...file, ...(await identifyStored(this.filestore, file.sha256)) } as NewFile;
    if (!(await this.filestore.exists(file.sha256))) throw new BlobNotFoundError(file.sha256);
    return file as NewFile;
  }

  /** `createIfAbsent`, batched: the stored submission (the earlier one when a retry finds it). */
  createSubmission(submission: NewSubmission): Promise<SubmissionRecord> {
    return this.submissions.add(submission);
  }

  onApplicationShutdown(): void {
    // Jobs still waiting on a timer are written now rather than cut off.
    this.sightings.flush();
    this.submissions.flush();
  }
}
