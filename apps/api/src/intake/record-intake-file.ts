import type { ClassificationEngine } from '@hopper/classification';
import { FilesRepository, newFile } from '@hopper/datastore';
import { commitIntakeFile, IntakeFile } from './intake-file';

const DAY_MS = 24 * 3600 * 1000;

/** When something kept `ttlDays` (0 = forever) from `now` expires. */
export function expiryFromTtl(ttlDays: number, now: Date): Date | null {
  return ttlDays > 0 ? new Date(now.getTime() + ttlDays * DAY_MS) : null;
}

/**
 * Assemblyline's `save_or_freshen_file` after the upload: the blob under its sha256, then its document saved
 * or freshened (seen again, classification raised to the submission's, life extended to the submission's ttl).
 */
export async function recordIntakeFile(
  files: FilesRepository,
  engine: ClassificationEngine,
  file: IntakeFile,
  classification: string,
  ttlDays: number,
  now: Date,
): Promise<void> {
  await commitIntakeFile(file);
  const { digests } = file;
  await files.recordSeen(
    newFile(digests, file, classification),
    now,
    expiryFromTtl(ttlDays, now),
    (stored, seen) => engine.max(stored, seen),
  );
}
