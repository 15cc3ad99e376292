import type { SubmissionParams } from '@hopper/profiles';
import { TaskFile, totalFileSize } from './file-size';

/** Assemblyline's failure text for a task naming a file whose sha256 is not 64 characters long. */
export const INVALID_SHA256 = 'Invalid sha256';

/** Assemblyline's failure text for a task over `submission.max_file_size`: `File too large (<size> > <max>)`. */
export function fileTooLargeMessage(fileSize: number, maxFileSize: number): string {
  return `File too large (${fileSize} > ${maxFileSize})`;
}

/**
 * `Invalid sha256` when any file's sha256 is not 64 characters long (Assemblyline checks the length only;
 * the format is checked when the task is parsed). Assemblyline sends this failure as a plain notification.
 */
export function invalidSha256Refusal(files: readonly TaskFile[]): string | null {
  return files.some((file) => [...file.sha256].length !== 64) ? INVALID_SHA256 : null;
}

/**
 * `File too large (X > Y)` when the task's total size is over `submission.max_file_size`, unless the params
 * say ignore_size or never_drop. Assemblyline treats this one as a drop (counted as skipped, notified).
 */
export function fileTooLargeRefusal(
  files: readonly TaskFile[],
  params: Pick<SubmissionParams, 'ignore_size' | 'never_drop'>,
  maxFileSize: number,
): string | null {
  const size = totalFileSize(files);
  if (size <= maxFileSize || params.ignore_size || params.never_drop) return null;
  return fileTooLargeMessage(size, maxFileSize);
}

/**
 * The ingester's own refusals of a task, checked first thing in `Ingester.ingest` and in its order: invalid
 * sha256, then file too large. Null when the task goes on (to the cache check, priority and drop decision).
 */
export function ingestRefusal(
  task: { files: readonly TaskFile[]; params: Pick<SubmissionParams, 'ignore_size' | 'never_drop'> },
  config: { submission: { max_file_size: number } },
): string | null {
  return invalidSha256Refusal(task.files) ?? fileTooLargeRefusal(task.files, task.params, config.submission.max_file_size);
}
