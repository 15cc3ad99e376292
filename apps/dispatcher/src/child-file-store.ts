import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE } from '@hopper/config';
import { FilesRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { stageMeasured } from '@hopper/identify';
import { FileGuard } from '@hopper/queues';
import { ProducedFileOrigin, recordProducedFile, StoredChild } from '@hopper/services';

/**
 * Stores a file an in-process service produced the way the API stores an upload: streamed into staging while
 * hashed, then identified, committed and recorded (`recordProducedFile`, which the API's route for external
 * services' files uses too). Memory stays bounded whatever the size.
 */
@Injectable()
export class ChildFileStore {
  constructor(
    @Inject(FILESTORE) private readonly filestore: Filestore,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
    private readonly files: FilesRepository,
    private readonly guard: FileGuard,
  ) {}

  async store(stream: Readable, name: string, description: string, origin: ProducedFileOrigin): Promise<StoredChild> {
    const measured = await stageMeasured(stream, this.filestore);
    return recordProducedFile(this.files, this.guard, (stored, seen) => this.engine.max(stored, seen), measured, { name, description }, origin);
  }
}
