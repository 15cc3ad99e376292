import { BadRequestException } from '@nestjs/common';
import { MISSING_DATA_BLOCK, optionalString } from '../ingest/ingest-data-block';
import { INVALID_FILENAME, submittedBasename, submittedName } from '../intake/safe-filename';

/** A URL names its submission whole; this bounds how long it may be. */
const MAX_URL_NAME_LENGTH = 4096;

/** What the data block of `POST /api/v4/submit/` asks for. */
export interface SubmitDataBlock {
  data: Record<string, unknown>;
  /** The name the file goes by (until a CaRT header or a file source names it). */
  name: string;
  sha256: string | null;
  url: string | null;
}

/**
 * Seed 000 `submit`, first steps: a data block must be there (a JSON body without one is "Missing data block";
 * a multipart body without a json part is an empty one), and a name. An upload is named by the json's `name`
 * (even empty) else the bin part's filename; a JSON body by `name`, else the sha256, else a file source's input,
 * reduced to a safe basename ("Invalid filename" when nothing is left, or only `.` or `..`; a name over 255
 * characters is refused, not cut). A URL submission is named by its whole URL, as Assemblyline names them.
 */
export function readSubmitDataBlock(
  data: Record<string, unknown> | null,
  /** For a multipart request, the bin part's filename ('' when it had none, or there was no bin part); else null. */
  uploadedFilename: string | null,
  /** The input of a file source named in the data block, if any. */
  sourceInput: string | null = null,
): SubmitDataBlock {
  if (data === null) throw new BadRequestException(MISSING_DATA_BLOCK);
  const multipart = uploadedFilename !== null;
  const sha256 = multipart ? null : optionalString(data, 'sha256');
  const url = multipart || sha256 ? null : optionalString(data, 'url');

  const given = data.name;
  if (given !== undefined && given !== null && typeof given !== 'string') throw new BadRequestException(INVALID_FILENAME);
  if (url) return { data, name: submittedName(url, MAX_URL_NAME_LENGTH), sha256, url };
  const raw = multipart ? (Object.hasOwn(data, 'name') ? given : uploadedFilename) : given || sha256 || sourceInput;
  if (!raw) throw new BadRequestException('Filename missing');
  return { data, name: submittedBasename(raw), sha256, url };
}
