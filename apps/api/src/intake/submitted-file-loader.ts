import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FileFacts, fileFactsOf, FilesRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { FileSourceFetcher, SafeDownloader } from '@hopper/file-sources';
import { FileRecords, FileRecordView, PendingFiles } from '@hopper/queues';
import type { SubmissionParams } from '@hopper/profiles';
import { withCartClassification } from './cart-identity';
import { FileIntake } from './file-intake.service';
import { discardIntakeFile, IdentifiedIntakeFile, intakeFileFromRecord, IntakeFile, LookedUpFile } from './intake-file';
import { FileTooLargeException } from './multipart-submission';
import { withPendingSightings } from './pending-sightings';
import type { MeasuredBlob } from '@hopper/identify';

export const SHA256_NOT_FOUND = 'SHA256 does not exist in our datastore';
export const MISSING_FILE = 'Missing file to scan. No binary, sha256 or url provided.';
export const EMPTY_FILE = 'File empty. Ingestion failed';
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** Where the submission's file came from, and what that adds to the submission. */
export interface LoadedFile<F extends IntakeFile = IntakeFile> {
  file: F;
  /** What Hopper holds of the file (its facts, or its pending sightings') when it was already known (a sha256 submission). */
  known: LookedUpFile | null;
  /** Metadata the origin adds (`submitted_url`, a file source's metadata). */
  extraMetadata: Record<string, unknown>;
  /** The lowest classification the submission may have because of where the file came from. */
  minimumClassification: string | null;
  /** Services a file source asks for. */
  selectServices: string[];
  /** The name the origin gives the file (a file source's), over the requested one. */
  name: string | null;
}

export interface FileRequest {
  /** A multipart request: the file can only be its bin part. */
  multipart: boolean;
  upload: MeasuredBlob | null;
  sha256: string | null;
  url: string | null;
  /** The data block, for file-source inputs (`{"<source name>": "<input>"}`). */
  data: Record<string, unknown>;
  userClassification: string;
  /** The refusal of an empty file (default: the Ingest API's, EMPTY_FILE). */
  emptyFileMessage?: string;
  /**
   * False: leave the file unidentified unless its type is already known (ingest: the ingester identifies the
   * stored blob, so the request path runs no libmagic). Default true: the file comes back identified.
   */
  identify?: boolean;
}

/** The first configured file source the data block names (`{"<source name>": "<input>"}`), with its input. */
export function fileSourceInput(data: Record<string, unknown>, config: HopperConfig): { name: string; input: string } | null {
  const source = config.submission.file_sources.find((candidate) => typeof data[candidate.name] === 'string');
  return source ? { name: source.name, input: data[source.name] as string } : null;
}

/**
 * What the file's origin imposes on the submission: at least the known file's or file source's classification,
 * the services a file source asks for, and the classification its CaRT header carries.
 */
export function applyFileOrigin(params: SubmissionParams, loaded: LoadedFile, engine: ClassificationEngine): void {
  if (loaded.minimumClassification) params.classification = engine.max(params.classification, loaded.minimumClassification);
  for (const service of loaded.selectServices) {
    if (!params.services.selected.includes(service)) params.services.selected.push(service);
  }
  params.classification = withCartClassification(engine, params.classification, loaded.file.cart);
}

/**
 * Seed 000's "Load file" step: the uploaded bytes, a file Hopper already holds (by sha256, if the user may see
 * it), a URL through the safe downloader, or an input resolved by a configured file source. Empty files are
 * refused here, as Assemblyline does before anything else looks at them.
 */
@Injectable()
export class SubmittedFileLoader {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
    @Inject(FILESTORE) private readonly filestore: Filestore,
    private readonly files: FilesRepository,
    private readonly intake: FileIntake,
    private readonly downloader: SafeDownloader,
    private readonly fetcher: FileSourceFetcher,
    private readonly pending: PendingFiles,
    private readonly records: FileRecords,
  ) {}

  load(request: FileRequest & { identify: false }): Promise<LoadedFile>;
  load(request: FileRequest): Promise<LoadedFile<IdentifiedIntakeFile>>;
  async load(request: FileRequest): Promise<LoadedFile> {
    const identify = request.identify ?? true;
    const loaded = await this.loadAsGiven(request, identify);
    // A file known only by its pending sightings has no type yet: typed from its stored head when asked for.
    if (identify && loaded.file.type === undefined) {
      try {
        await this.intake.identified(loaded.file);
      } catch (error) {
        await discardIntakeFile(loaded.file);
        throw error;
      }
    }
    return loaded;
  }

  private async loadAsGiven(request: FileRequest, identify: boolean): Promise<LoadedFile> {
    const empty = request.emptyFileMessage ?? EMPTY_FILE;
    if (request.upload) {
      if (request.upload.digests.size === 0) {
        await request.upload.staged.discard();
        throw new BadRequestException(empty);
      }
      return this.loaded(await this.intake.fromMeasured(request.upload, identify));
    }
    if (request.multipart) throw new BadRequestException(MISSING_FILE);
    if (request.sha256) return this.loadKnown(request.sha256, request.userClassification);
    if (request.url) return this.loadUrl(request.url, empty, identify);
    const source = fileSourceInput(request.data, this.config);
    if (source) return this.loadFromSource(source.name, source.input, request.userClassification, empty, identify);
    throw new BadRequestException(MISSING_FILE);
  }

  /** The largest file accepted before parameters are known (`ignore_size` may lift max_file_size up to it). */
  maxFileBytesIgnoringSize(): number {
    return Math.max(this.config.api.max_upload_bytes, this.config.submission.max_file_size);
  }

  private loaded(file: IntakeFile, extra: Partial<LoadedFile> = {}): LoadedFile {
    return { file, known: null, extraMetadata: {}, minimumClassification: null, selectServices: [], name: null, ...extra };
  }

  private async loadKnown(input: string, userClassification: string): Promise<LoadedFile> {
    const sha256 = input.toLowerCase();
    if (!SHA256_PATTERN.test(sha256)) throw new NotFoundException(SHA256_NOT_FOUND);
    // The lookups at once: with an S3 filestore the existence check is a round trip of its own. The file's
    // record (Redis, kept by every writer of `files`) and the sightings the ingester has not recorded yet
    // together say what the file is and how high it is classified; the document is read only without a record.
    const [stored, record, pending] = await Promise.all([this.filestore.exists(sha256), this.records.read(sha256), this.pending.lookUp(sha256)]);
    if (!stored) throw new NotFoundException(SHA256_NOT_FOUND);
    const document = record ? this.fromRecord(record) : await this.readDocument(sha256);
    const known = withPendingSightings(document, pending, this.engine);
    if (!known) {
      // In the filestore without a document: measure it as if it had just arrived (the size limit applies
      // then, as for an upload; checked first so an oversized blob is not copied for nothing).
      const stat = await this.filestore.stat(sha256);
      if (stat && stat.size > this.maxFileBytesIgnoringSize()) throw new FileTooLargeException(stat.size, this.config.submission.max_file_size);
      return this.loaded(await this.intake.fromStored(sha256));
    }
    if (!this.engine.isAccessible(userClassification, known.classification)) throw new NotFoundException(SHA256_NOT_FOUND);
    return this.loaded(intakeFileFromRecord(known), { known, minimumClassification: known.classification });
  }

  /** The file as its record says: classified as high as every classification it holds. */
  private fromRecord(record: FileRecordView): FileFacts {
    const [first, ...others] = record.classifications;
    const classification = others.reduce((highest, seen) => this.engine.max(highest, seen), first);
    return { ...record.file, classification };
  }

  /** The file's document (by _id, index-backed), recorded in Redis for the next lookup. */
  private async readDocument(sha256: string): Promise<FileFacts | null> {
    const document = await this.files.findBySha256(sha256);
    if (!document) return null;
    const known = fileFactsOf(document);
    await this.records.known([{ file: known, created: false }]);
    return known;
  }

  private async loadUrl(url: string, empty: string, identify: boolean): Promise<LoadedFile> {
    if (!this.config.ui.allow_url_submissions) throw new BadRequestException('URL submissions are disabled in this system');
    const download = await this.downloader.stage(url, {
      headers: this.config.ui.url_submission_headers,
      totalTimeoutMs: this.config.ui.url_submission_timeout * 1000,
      proxies: Object.keys(this.config.ui.url_submission_proxies).length ? this.config.ui.url_submission_proxies : undefined,
    });
    if (download.size === 0) {
      await download.staged.discard();
      throw new BadRequestException(empty);
    }
    return this.loaded(await this.intake.fromDownload(download, identify), { extraMetadata: { submitted_url: url } });
  }

  private async loadFromSource(sourceName: string, input: string, userClassification: string, empty: string, identify: boolean): Promise<LoadedFile> {
    const sources = this.config.submission.file_sources.filter((source) => source.name === sourceName);
    const result = await this.fetcher.fetch({
      input,
      sources,
      userClassification,
      classification: this.engine.UNRESTRICTED,
    });
    if (result.size === 0) throw new BadRequestException(empty);
    const file = await this.intake.fromStored(result.sha256, identify);
    return this.loaded(file, {
      extraMetadata: result.metadata,
      minimumClassification: result.classification,
      selectServices: result.selectedServices,
      name: result.name,
    });
  }
}
