import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE } from '@hopper/config';
import { FilesRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { identifyHead, stageMeasured } from '@hopper/identify';
import type { StoredChild } from '@hopper/services';

/** Where a produced file's document takes its classification and life from: the submission it came from. */
export interface ChildOrigin {
  classification: string;
  expiry_ts: Date | null;
}

/**
 * Stores a file a service produced the way the API stores an upload: streamed into staging while hashed,
 * identified from its head, committed under its sha256, then its document saved or freshened (classification
 * raised to the submission's, life extended). Memory stays bounded whatever the size.
 */
@Injectable()
export class ChildFileStore {
  constructor(
    @Inject(FILESTORE) private readonly filestore: Filestore,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
    private readonly files: FilesRepository,
  ) {}

  async store(stream: Readable, name: string, description: string, origin: ChildOrigin): Promise<StoredChild> {
    const measured = await stageMeasured(stream, this.filestore);
    const { digests } = measured;
    try {
      const type = await identifyHead(measured.head);
      await measured.staged.commit(digests.sha256);
      await this.files.recordSeen(
        {
          sha256: digests.sha256,
          md5: digests.md5,
          sha1: digests.sha1,
          size: digests.size,
          entropy: digests.entropy,
          type: type.type,
          magic: type.magic,
          mime: type.mime,
          classification: origin.classification,
        },
        new Date(),
        origin.expiry_ts,
        (stored, seen) => this.engine.max(stored, seen),
      );
      return { name, description, sha256: digests.sha256, type: type.type, size: digests.size };
    } catch (error) {
      await measured.staged.discard().catch(() => undefined);
      throw error;
    }
  }
}
