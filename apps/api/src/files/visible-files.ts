import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE } from '@hopper/config';
import { FileRecord, FilesRepository } from '@hopper/datastore';
import { BlobNotFoundError, FILESTORE, Filestore } from '@hopper/filestore';
import { identifyStored } from '@hopper/identify';
import { PendingFiles } from '@hopper/queues';
import type { AuthenticatedUser } from '../auth/auth.service';
import { KnownFile, withPendingSightings } from '../intake';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Files as a caller may see them. A malformed sha256, an unknown one and a file above the caller's
 * clearance all answer the same 404 (Assemblyline answers 404 for the first two, and 403 for the third,
 * which tells that the file exists; Hopper does not). A file is visible from the moment its ingest is
 * answered: until the ingester has written its document, its pending sightings describe it, as the sha256
 * ingest path reads them (read-your-writes, as Assemblyline's ingest, which saves the file before answering);
 * one the ingester has not identified yet is identified here from its stored head.
 */
@Injectable()
export class VisibleFiles {
  constructor(
    private readonly files: FilesRepository,
    private readonly pending: PendingFiles,
    @Inject(FILESTORE) private readonly filestore: Filestore,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
  ) {}

  async get(auth: AuthenticatedUser, sha256: string, notFound: string): Promise<FileRecord> {
    // Hashes are stored in lower case; an upper-case spelling names the same file.
    const key = sha256.toLowerCase();
    if (!SHA256.test(key)) throw new NotFoundException(notFound);
    // Both at once (the document by _id, the sightings from Redis); the clearance rule is the document's to be.
    const [document, pending] = await Promise.all([this.files.findBySha256(key), this.pending.lookUp(key)]);
    const record = withPendingSightings(document, pending, this.engine);
    if (!record || !this.maySee(auth, record.classification)) throw new NotFoundException(notFound);
    return record.type === undefined ? this.identified(record, notFound) : { ...record, type: record.type };
  }

  /**
   * A file known only by sightings the ingester has not recorded (nor identified) yet: typed from its stored
   * head, as the ingester will type it. A blob gone meanwhile is the same 404 as an unknown file.
   */
  private async identified(record: KnownFile, notFound: string): Promise<FileRecord> {
    try {
      return { ...record, ...(await identifyStored(this.filestore, record.sha256)) };
    } catch (error) {
      if (error instanceof BlobNotFoundError) throw new NotFoundException(notFound);
      throw error;
    }
  }

  /** Whether the caller's clearance covers `classification` (an unreadable marking is never visible). */
  maySee(auth: AuthenticatedUser, classification: string): boolean {
    return this.engine.isAccessible(auth.user.classification, classification, { ignoreInvalid: true });
  }

  /** The file's bytes as a stream; 404 `notFound` when the filestore no longer holds them. */
  async open(record: FileRecord, notFound: string): Promise<Readable> {
    try {
      return await this.filestore.get(record.sha256);
    } catch (error) {
      if (error instanceof BlobNotFoundError) throw new NotFoundException(notFound);
      throw error;
    }
  }
}
