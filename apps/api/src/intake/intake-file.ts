import type { KnownFile } from '@hopper/datastore';
import type { StagedBlob } from '@hopper/filestore';
import type { CartMetadata, FileDigests, FileType } from '@hopper/identify';

/** A file taken in for analysis: identified, and either staged (not yet visible) or already in the filestore. */
export interface IntakeFile extends FileType {
  digests: FileDigests;
  /** The bytes to commit under `digests.sha256`; null when the filestore holds them already. */
  staged: StagedBlob | null;
  /** The CaRT the file arrived in, if it was one (its header names and classifies the file). */
  cart: CartMetadata | null;
}

/** Makes the file visible under its sha256 (no-op when it already is). */
export async function commitIntakeFile(file: IntakeFile): Promise<void> {
  if (file.staged) await file.staged.commit(file.digests.sha256);
  file.staged = null;
}

/** Drops the staged bytes of a refused file (no-op when there are none, or they were committed). */
export async function discardIntakeFile(file: IntakeFile | null): Promise<void> {
  const staged = file?.staged;
  if (!file || !staged) return;
  file.staged = null;
  await staged.discard().catch(() => undefined);
}

/** A file the filestore and the files collection already hold, as an intake file (nothing to commit). */
export function intakeFileFromRecord(known: KnownFile): IntakeFile {
  return {
    digests: { md5: known.md5, sha1: known.sha1, sha256: known.sha256, size: known.size, entropy: known.entropy ?? 0 },
    type: known.type,
    magic: known.magic ?? '',
    mime: known.mime ?? '',
    staged: null,
    cart: null,
  };
}
