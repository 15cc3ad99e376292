import type { FileFacts, FileRecord } from '@hopper/datastore';
import type { StagedBlob } from '@hopper/filestore';
import type { CartMetadata, FileDigests, FileType } from '@hopper/identify';

/** A file taken in for analysis: measured, and either staged (not yet visible) or already in the filestore. */
export interface IntakeFile extends Partial<FileType> {
  digests: FileDigests;
  /** The bytes to commit under `digests.sha256`; null when the filestore holds them already. */
  staged: StagedBlob | null;
  /** The CaRT the file arrived in, if it was one (its header names and classifies the file). */
  cart: CartMetadata | null;
}

/**
 * An intake file whose type is known. `type`, `magic` and `mime` are absent together until then: an ingest
 * leaves identification to the ingester (FileIntake.fromMeasured with `identify` false), and a file known only
 * by its pending sightings is not identified yet either.
 */
export type IdentifiedIntakeFile = IntakeFile & FileType;

/** A file's document, or before the ingester has written it the record its pending sightings make (maybe not identified yet). */
export type KnownFile = Omit<FileRecord, 'type'> & { type?: string };

/**
 * What a lookup by sha256 knows of a file: its facts (its Redis record's, or its document's), or before the
 * ingester has written the document those its pending sightings make (maybe not identified yet).
 */
export type LookedUpFile = Omit<FileFacts, 'type'> & { type?: string };

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

/** A file the filestore already holds, as an intake file (nothing to commit); identified when its record is. */
export function intakeFileFromRecord(known: FileFacts): IdentifiedIntakeFile;
export function intakeFileFromRecord(known: LookedUpFile): IntakeFile;
export function intakeFileFromRecord(known: LookedUpFile): IntakeFile {
  const digests = { md5: known.md5, sha1: known.sha1, sha256: known.sha256, size: known.size, entropy: known.entropy ?? 0 };
  const identity = known.type === undefined ? {} : { type: known.type, magic: known.magic ?? '', mime: known.mime ?? '' };
  return { digests, ...identity, staged: null, cart: null };
}
