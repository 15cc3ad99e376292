/** A file of an ingest task, as far as the ingester's rules look at it. */
export interface TaskFile {
  sha256: string;
  /** Bytes; null when unknown (counted as 0). */
  size: number | null;
}

/**
 * Assemblyline's `IngestTask.file_size`: the sum of the sizes of the task's files. The size checks (refusal,
 * drop) apply to this total, not to each file.
 */
export function totalFileSize(files: readonly TaskFile[]): number {
  return files.reduce((sum, file) => sum + (file.size ?? 0), 0);
}
