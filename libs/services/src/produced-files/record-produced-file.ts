import { ClassificationCombiner, FilesRepository, newFile } from '@hopper/datastore';
import { identifyHead, MeasuredBlob } from '@hopper/identify';
import type { StoredChild } from '../contract/service-task';

/** Where a produced file's document takes its classification and life from: the submission it came from. */
export interface ProducedFileOrigin {
  classification: string;
  expiry_ts: Date | null;
}

/** What keeps a file's sighting and its deletion apart (FileGuard of @hopper/queues). */
export interface FileSightingGuard {
  sighting<T>(sha256: string, work: () => Promise<T>): Promise<T>;
}

/**
 * Makes a file a service produced (already staged and measured in one pass) part of the system the way an
 * upload is: identified from its head, its document saved or freshened (under the file's FileGuard sighting)
 * (classification raised with `combine` to the submission's, life extended to the submission's), then committed under its sha256. The same
 * steps whether an in-process service produced it or an external one posted it, so both kinds of result
 * list their files alike. If a step fails the staged bytes are discarded.
 */
export async function recordProducedFile(
  files: FilesRepository,
  guard: FileSightingGuard,
  combine: ClassificationCombiner,
  measured: MeasuredBlob,
  file: { name: string; description: string },
  origin: ProducedFileOrigin,
): Promise<StoredChild> {
  const { digests } = measured;
  try {
    const type = await identifyHead(measured.head);
    // Document then blob, under the file's sighting guard: the expiry sweeper cannot delete it in between.
    await guard.sighting(digests.sha256, async () => {
      await files.recordSighting(newFile(digests, type, origin.classification), new Date(), origin.expiry_ts, combine);
      await measured.staged.commit(digests.sha256);
    });
    return { name: file.name, description: file.description, sha256: digests.sha256, type: type.type, size: digests.size };
  } catch (error) {
    await measured.staged.discard().catch(() => undefined);
    throw error;
  }
}
