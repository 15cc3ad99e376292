import type { ClassificationEngine } from '@hopper/classification';
import { FilesRepository, newFile } from '@hopper/datastore';
import { BlobNotFoundError, Filestore } from '@hopper/filestore';
import type { FileGuard } from '@hopper/queues';
import { commitIntakeFile, IdentifiedIntakeFile } from './intake-file';

const DAY_MS = 24 * 3600 * 1000;

/** When something kept `ttlDays` (0 = forever) from `now` expires. */
export function expiryFromTtl(ttlDays: number, now: Date): Date | null {
  return ttlDays > 0 ? new Date(now.getTime() + ttlDays * DAY_MS) : null;
}

/**
 * Assemblyline's `save_or_freshen_file` after the upload: the file's document saved or freshened (seen again,
 * classification raised to the submission's, life extended to the submission's ttl), then its blob committed
 * under its sha256; both under the file's FileGuard sighting, so the expiry sweeper cannot delete the file in
 * between, and a sighting that waited for a deletion writes both afterwards. A file whose blob was in the
 * filestore before (a download, an archive member, a resubmission) is checked to be still there when this
 * sighting created its document anew.
 */
export async function recordIntakeFile(
  files: FilesRepository,
  filestore: Pick<Filestore, 'exists'>,
  guard: FileGuard,
  engine: ClassificationEngine,
  file: IdentifiedIntakeFile,
  classification: string,
  ttlDays: number,
  now: Date,
): Promise<void> {
  const { digests } = file;
  await guard.sighting(digests.sha256, async () => {
    const { inserted } = await files.recordSighting(
      newFile(digests, file, classification),
      now,
      expiryFromTtl(ttlDays, now),
      (stored, seen) => engine.max(stored, seen),
    );
    if (file.staged) await commitIntakeFile(file);
    else if (inserted && !(await filestore.exists(digests.sha256))) throw new BlobNotFoundError(digests.sha256);
  });
}
