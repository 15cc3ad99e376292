import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Filestore } from '@hopper/filestore';
import { DownloadFailedError, FileSourceNotFoundError, InvalidUrlError, SchemeNotAllowedError } from './errors';
import { DEFAULT_REPLACE_PATTERN, FileSourceDefinition } from './file-source';
import { matchInput } from './input-match';
import type { SafeDownloader } from './safe-downloader';
import { sourcesVisibleTo } from './source-access';
import { expandTemplate } from './template';
import { uriDescriptor } from './uri-descriptor';
import type { ClassificationOps, FileHashes, SourceLogger } from './types';
import { extractSingleFile, looksLikeZip } from './zip-single-file';

// A failure page is a small HTML or JSON answer: its first bytes are enough to recognise it.
const FAILURE_SAMPLE_BYTES = 1024 * 1024;
const COMPUTED_HASHES = new Set(['md5', 'sha1', 'sha256']);

export interface FileSourceFetcherDeps {
  downloader: SafeDownloader;
  filestore: Filestore;
  classification: ClassificationOps;
  logger: SourceLogger;
  /** `ui.allow_url_submissions`: needed by sources that defer the download (`download_from_url: false`). */
  allowUrlSubmissions: boolean;
  /** `submission.max_file_size`: a zip's single file must be smaller to be extracted. */
  maxFileSize: number;
}

export interface FetchFromSourcesRequest {
  input: string;
  /** In the order they are tried (the configured ones, or those the user picked). */
  sources: readonly FileSourceDefinition[];
  userClassification: string;
  /** The submission's classification before the source raises it. */
  classification: string;
  metadata?: Record<string, unknown>;
  selectedServices?: readonly string[];
}

export interface FileSourceResult extends FileHashes {
  source: string;
  /** `file`: the content itself; `uri`: an Assemblyline URI file for a URL service to fetch later. */
  kind: 'file' | 'uri';
  size: number;
  /** The input; or the real sha256 when the input was a hash the file does not have; or the zip entry's name. */
  name: string;
  classification: string;
  metadata: Record<string, unknown>;
  selectedServices: string[];
  extractedFromZip: boolean;
}

type Resolved = FileHashes & { size: number; kind: 'file' | 'uri'; extractedName?: string };

/**
 * Turns an input into a file through the configured sources, Assemblyline's way: try each source the user
 * may use and whose patterns take the input, in order; the first that yields a file wins; one that errors or
 * misses is logged and the next is tried; none → FileSourceNotFoundError (404) naming those tried.
 */
export class FileSourceFetcher {
  constructor(private readonly deps: FileSourceFetcherDeps) {}

  async fetch(request: FetchFromSourcesRequest): Promise<FileSourceResult> {
    const tried: string[] = [];
    for (const source of sourcesVisibleTo(request.userClassification, request.sources, this.deps.classification)) {
      const matched = matchInput(request.input, source);
      if (matched === null) continue;
      tried.push(source.name);
      try {
        const resolved = await this.resolve(source, request.input);
        if (resolved) return this.finish(source, request, matched, resolved);
      } catch (error) {
        this.deps.logger.warn(
          { source: source.name, input: request.input, err: (error as Error).message },
          'file source failed, trying the next',
        );
      }
    }
    throw new FileSourceNotFoundError(request.input, tried);
  }

  /** The file the source gives for `input`, or null on a miss. */
  private async resolve(source: FileSourceDefinition, input: string): Promise<Resolved | null> {
    const pattern = source.replace_pattern || DEFAULT_REPLACE_PATTERN;
    const url = expandTemplate(source.url, pattern, input, 'url');
    const data = source.data ? expandTemplate(source.data, pattern, input, 'data') : undefined;
    const method = source.method ?? 'GET';
    const headers = source.headers ?? {};

    if (source.download_from_url === false) {
      if (!this.deps.allowUrlSubmissions) throw new Error('deferred download needs ui.allow_url_submissions');
      if (!/^https?:\/\//i.test(url)) {
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
        throw scheme ? new SchemeNotAllowedError(scheme.toLowerCase()) : new InvalidUrlError();
      }
      return this.storeSmall(uriDescriptor({ uri: url, method, headers, data }), 'uri');
    }

    let download;
    try {
      download = await this.deps.downloader.stage(url, {
        method,
        headers,
        body: data,
        verifyTls: source.verify ?? true,
        sampleBytes: FAILURE_SAMPLE_BYTES,
        proxies: source.proxies ?? undefined,
      });
    } catch (error) {
      if (error instanceof DownloadFailedError) {
        this.deps.logger.info({ source: source.name, input, status: error.httpStatus }, 'file source miss');
        return null;
      }
      throw error;
    }
    if (source.failure_pattern && new RegExp(source.failure_pattern).test(download.head.toString('latin1'))) {
      await download.staged.discard();
      this.deps.logger.info({ source: source.name, input }, 'file source miss: failure pattern matched');
      return null;
    }
    await download.staged.commit(download.hashes.sha256);
    const file: Resolved = { ...download.hashes, size: download.size, kind: 'file' };
    if (source.password && looksLikeZip(download.head)) {
      const inner = await extractSingleFile(
        this.deps.filestore,
        file.sha256,
        source.password,
        this.deps.maxFileSize,
        this.deps.logger,
      );
      if (inner) return { md5: inner.md5, sha1: inner.sha1, sha256: inner.sha256, size: inner.size, kind: 'file', extractedName: inner.name };
    }
    return file;
  }

  private finish(source: FileSourceDefinition, request: FetchFromSourcesRequest, matched: string, file: Resolved): FileSourceResult {
    const services = [...(request.selectedServices ?? [])];
    for (const service of source.select_services ?? []) if (!services.includes(service)) services.push(service);
    const metadata = { ...(request.metadata ?? {}) };
    if (source.metadata && Object.keys(source.metadata).length > 0) Object.assign(metadata, source.metadata);
    else metadata.original_source = source.name;

    let name = file.extractedName ?? request.input;
    // A hash input names the file only if the file really has that hash.
    if (file.kind === 'file' && COMPUTED_HASHES.has(matched) && file[matched as keyof FileHashes] !== request.input.toLowerCase()) {
      this.deps.logger.info({ source: source.name, input: request.input, sha256: file.sha256 }, 'file source hash mismatch: renamed');
      name = file.sha256;
    }
    const { extractedName, kind, ...hashesAndSize } = file;
    return {
      ...hashesAndSize,
      source: source.name,
      kind,
      name,
      classification: source.classification
        ? this.deps.classification.max(request.classification, source.classification)
        : request.classification,
      metadata,
      selectedServices: services,
      extractedFromZip: extractedName !== undefined,
    };
  }

  // The URI file is a few hundred bytes that Hopper writes itself: hashing it in memory is fine.
  private async storeSmall(content: Buffer, kind: 'uri'): Promise<Resolved> {
    const hashes = {
      md5: createHash('md5').update(content).digest('hex'),
      sha1: createHash('sha1').update(content).digest('hex'),
      sha256: createHash('sha256').update(content).digest('hex'),
    };
    await this.deps.filestore.put(hashes.sha256, Readable.from([content]));
    return { ...hashes, size: content.length, kind };
  }
}
