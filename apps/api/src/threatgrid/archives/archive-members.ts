import { BlobNotFoundError, type Filestore } from '@hopper/filestore';
import { ArchiveFanOut } from './archive-fan-out';
import { isArchiveType } from './archive-type';
import type { ArchiveExtractOptions } from './extract-service-for';

/** A file found inside a submitted archive, committed to the filestore under its sha256. */
export interface ArchiveMember {
  /** Its path inside the archive that held it, as Extract names it (sanitised: no `..`, no absolute path). */
  name: string;
  sha256: string;
  md5: string;
  sha1: string;
  size: number;
  /** Shannon entropy, bits per byte (a `files` document keeps it). */
  entropy: number;
  /** Assemblyline type, e.g. `document/pdf`. */
  type: string;
  magic: string;
  mime: string;
  /** 1 inside the submitted archive, 2 inside an archive inside it, and so on. */
  depth: number;
}

export interface ArchiveMembers {
  /** Distinct files (by sha256, first name kept); nested archives that were opened are replaced by what they held. */
  members: ArchiveMember[];
  /** Short lines for the submitter: limits reached, unreadable, password needed, not an archive. */
  problems: string[];
}

export interface ArchiveMembersInput {
  filestore: Filestore;
  /** The archive, already committed to the filestore. */
  sha256: string;
  /** Its Assemblyline type: only the types Extract accepts are opened. */
  type: string;
  name: string;
  /** Tried first on encrypted entries (the submitter's), before `options.default_passwords`. */
  passwords: string[];
  /** `config.services.builtin.Extract`. */
  options: ArchiveExtractOptions;
  /** Stops the extraction: the call then throws the reason. Intake sets no deadline of its own. */
  signal?: AbortSignal;
}

export { isArchiveType } from './archive-type';

/**
 * Threat Grid's rule for automated submissions, "extract the contents of the archive and submit the
 * appropriate supported file types individually": opens the archive with the real Extract service, and the
 * archives inside it too (up to MAX_ARCHIVE_DEPTH, all levels within one set of Extract's limits), and
 * commits each member to the filestore. Which members to submit, and their `files` documents, are the
 * caller's.
 *
 * Blobs are left committed even when the caller submits none of them: the filestore's `delete` removes a
 * blob whoever else references it (a member may be a file already known, or committed by a concurrent
 * submission a moment later), so nothing here deletes a committed blob. They are content-addressed, and the
 * expiry job is the one that removes blobs no document references. Nested archives that were opened are
 * never committed: they are read while staged and dropped.
 */
export async function extractArchiveMembers(input: ArchiveMembersInput): Promise<ArchiveMembers> {
  if (!isArchiveType(input.type)) {
    return { members: [], problems: [`${input.name}: not an archive Hopper extracts (file type ${input.type})`] };
  }
  const blob = await input.filestore.stat(input.sha256);
  if (blob === null) throw new BlobNotFoundError(input.sha256);
  const { filestore, sha256 } = input;
  return new ArchiveFanOut(input).run({
    path: input.name,
    depth: 0,
    file: { sha256, type: input.type, name: input.name, size: blob.size },
    open: () => filestore.get(sha256),
    nested: null,
  });
}
