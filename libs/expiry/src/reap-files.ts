import { randomUUID } from 'node:crypto';
import type { FilesRepository } from '@hopper/datastore';
import type { Filestore } from '@hopper/filestore';
import type { FileGuard } from '@hopper/queues';

/** What deleting a batch of files freed. */
export interface Reaped {
  /** Documents deleted. */
  files: number;
  /** The blobs deleted, by sha256. */
  blobs: string[];
  bytes: number;
}

/**
 * The deletion side of the expiry protocol: locks the files `sha256s` against sightings (FileGuard: a file a
 * sighting holds is skipped), asks `confirm` which of the locked ones still qualify (read after the lock, so a
 * sighting that ended just before it, having extended a file's life, is seen), deletes their blobs, then their
 * documents, and unlocks. A sighting that waited on the lock writes its document and blob afterwards, so no
 * document is left without its blob and no blob of a live file is deleted.
 */
export async function reapFiles(
  deps: { files: FilesRepository; filestore: Filestore; guard: FileGuard },
  sha256s: readonly string[],
  confirm: (locked: string[]) => Promise<Array<{ _id: string; size: number }>>,
): Promise<Reaped> {
  const token = randomUUID();
  const locked = await deps.guard.lockForDeletion(sha256s, token);
  if (!locked.length) return { files: 0, blobs: [], bytes: 0 };
  try {
    const doomed = await confirm(locked);
    const ids = doomed.map((file) => file._id);
    if (!ids.length) return { files: 0, blobs: [], bytes: 0 };
    await deps.filestore.deleteMany(ids);
    const removed = await deps.files.deleteIds(ids);
    return { files: removed, blobs: ids, bytes: doomed.reduce((sum, file) => sum + (file.size ?? 0), 0) };
  } finally {
    await deps.guard.unlockDeletion(locked, token);
  }
}
