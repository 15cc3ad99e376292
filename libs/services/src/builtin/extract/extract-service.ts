import type { AnalysisService } from '../../contract/analysis-service';
import type { ServiceResultInput } from '../../contract/service-result';
import type { ServiceContext } from '../../contract/service-task';
import { type ArchiveFormat, formatFromMagic, formatFromType, MAGIC_HEAD_BYTES } from './archive-format';
import { ChildStoreError, LimitExceededError } from './errors';
import { EXTRACT_MANIFEST } from './extract-manifest';
import { DEFAULT_EXTRACT_OPTIONS, type ExtractOptions } from './extract-options';
import { extractReport } from './extract-report';
import { ExtractionRun } from './extraction-run';
import { extractGzip } from './gzip/gzip-archive';
import { readHead } from './read-head';
import { extractSevenZip } from './seven-zip/seven-zip-archive';
import { extractTar } from './tar/tar-archive';
import { extractZip } from './zip/zip-archive';

const EXTRACTORS: Readonly<Record<ArchiveFormat, (run: ExtractionRun) => Promise<void>>> = {
  zip: extractZip,
  gzip: extractGzip,
  tar: extractTar,
  '7z': extractSevenZip,
};

/**
 * The built-in Extract service: unpacks zip, gzip, tar and 7z one level deep (a nested archive comes back
 * as a child and is dispatched to Extract in turn), tries known passwords on encrypted entries, and stops
 * archive bombs by counting what it produces.
 *
 * A corrupt archive is a finding, not a failure: what was extracted before the damage stays, and a section
 * says what could not be read. The service only throws when aborted or when the dispatcher cannot store.
 */
export class ExtractService implements AnalysisService {
  readonly manifest = EXTRACT_MANIFEST;

  constructor(private readonly options: ExtractOptions = DEFAULT_EXTRACT_OPTIONS) {
    for (const [name, value] of Object.entries(options.limits)) {
      if (!Number.isFinite(value) || value < 1) throw new Error(`Extract limit ${name} must be a positive number, got ${value}`);
    }
  }

  async execute(context: ServiceContext): Promise<ServiceResultInput> {
    context.signal.throwIfAborted();
    const format =
      formatFromType(context.task.file.type) ?? formatFromMagic(await readHead(await context.openFile(), MAGIC_HEAD_BYTES));
    const run = new ExtractionRun(context, this.options, format ?? 'unknown');
    if (format === null) {
      run.noteReadProblem(null, `not a zip, gzip, tar or 7z archive (file type ${context.task.file.type})`);
      return extractReport(run);
    }
    try {
      await EXTRACTORS[format](run);
    } catch (error) {
      if (context.signal.aborted) throw context.signal.reason ?? error;
      if (error instanceof ChildStoreError) throw error;
      if (error instanceof LimitExceededError) run.noteLimit(error);
      else run.noteReadProblem(null, error);
    }
    return extractReport(run);
  }
}
