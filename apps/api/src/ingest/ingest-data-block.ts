import { BadRequestException } from '@nestjs/common';
import { notificationQueueNameError } from '@hopper/queues';
import { INVALID_FILENAME, submittedBasename } from '../intake/safe-filename';

/** What the data block of `POST /api/v4/ingest/` asks for, checked in Assemblyline's order. */
export interface IngestDataBlock {
  data: Record<string, unknown>;
  /** The safe basename the file goes by (until a CaRT header names it). */
  name: string;
  sha256: string | null;
  url: string | null;
  notificationQueue: string | null;
  notificationThreshold: number | null;
}

export const MISSING_DATA_BLOCK = 'Missing data block';

/**
 * Seed 000 `ingest_single_file`, first steps: the data block must be there, `notification_threshold` must
 * be an integer when set, and there must be a name that survives reduction to a safe basename. For a JSON
 * body the name defaults to the sha256, then the URL's basename, then a file source's input; for an upload,
 * to the file part's filename.
 */
export function readIngestDataBlock(
  data: Record<string, unknown>,
  /** For a multipart request, the bin part's filename ('' when it had none, or there was no bin part); else null. */
  uploadedFilename: string | null,
  /** The input of a file source named in the data block, if any: it names the file when nothing else does. */
  sourceInput: string | null = null,
): IngestDataBlock {
  if (Object.keys(data).length === 0) throw new BadRequestException(MISSING_DATA_BLOCK);

  const sha256 = uploadedFilename === null ? optionalString(data, 'sha256') : null;
  const url = uploadedFilename === null ? optionalString(data, 'url') : null;

  const threshold = data.notification_threshold;
  // Assemblyline lets any falsy value through as "no threshold" (and keeps its own typo in the message).
  if (threshold !== undefined && threshold !== null && threshold !== 0 && threshold !== false) {
    if (typeof threshold !== 'number' || !Number.isSafeInteger(threshold)) {
      throw new BadRequestException('notification_threshold should be and int');
    }
  }
  const queue = data.notification_queue;
  if (queue !== undefined && queue !== null && queue !== '') {
    if (typeof queue !== 'string') throw new BadRequestException('notification_queue should be a string');
    const error = notificationQueueNameError(queue);
    if (error) throw new BadRequestException(error);
  }

  const given = data.name;
  if (given !== undefined && given !== null && typeof given !== 'string') throw new BadRequestException(INVALID_FILENAME);
  // Seed 000: an upload takes `data.get("name", binary.filename)` (a name given, even empty, wins); a JSON
  // body `data.get("name") or sha256 or basename(url)`.
  const raw =
    uploadedFilename !== null
      ? Object.hasOwn(data, 'name') ? given : uploadedFilename
      : given || sha256 || urlBasename(url) || sourceInput;
  if (!raw) throw new BadRequestException('Filename missing');
  const name = submittedBasename(raw);

  return {
    data,
    name,
    sha256,
    url,
    notificationQueue: typeof queue === 'string' && queue !== '' ? queue : null,
    notificationThreshold: typeof threshold === 'number' && threshold !== 0 ? threshold : null,
  };
}

/** A string field of the data block; absent, null and empty read as not given, anything else but a string is refused. */
export function optionalString(data: Record<string, unknown>, key: string): string | null {
  const value = data[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new BadRequestException(`${key} should be a string`);
  return value;
}

// Python's os.path.basename: what follows the last "/" (a URL ending in "/" has none).
function urlBasename(url: string | null): string {
  if (!url) return '';
  return url.slice(url.lastIndexOf('/') + 1);
}
