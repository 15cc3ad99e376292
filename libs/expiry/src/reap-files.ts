import type { FilesRepository } from '@hopper/datastore';
import type { Filestore } from '@hopper/filestore';

/** What deleting a batch of files freed. */
export interface Reaped {
  files: number;
  blobs: number;
  bytes: number;
}

/**
 * Steps 2 and 3 of the expiry protocol for files the caller marked with `token` (FilesRepository.mark…):
 * their blobs go, then their documents. No sighting succeeds on a marked file meanwhile, and one that waited
 * writes its blob after this returns, so no file is left without its blob. Run again on a batch a crash
 * interrupted, it finishes it.
 */
export async function reapMarkedFiles(
  files: FilesRepository,
  filestore: Filestore,
  marked: ReadonlyArray<{ _id: string; size?: number }>,
  token: string,
): Promise<Reaped> {
  if (!marked.length) return { files: 0, blobs: 0, bytes: 0 };
  const ids = marked.map((file) => file._id);
  await filestore.deleteMany(ids);
  const removed = await files.finishDeletion(ids, token);
  return { files: removed, blobs: ids.length, bytes: marked.reduce((sum, file) => sum + (file.size ?? 0), 0) };
}
