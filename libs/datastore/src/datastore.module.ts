import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Connection } from 'mongoose';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { accessControlFieldsFor, ClassificationEngine } from '@hopper/classification';
import type { AccessPartsOf } from './access-parts';
import type { FileRecordMirror } from './file-record-mirror';
import { FilesRepository } from './files.repository';
import { AlertsRepository } from './alerts.repository';
import { ResultsRepository } from './results.repository';
import { SubmissionsRepository } from './submissions.repository';
import { UsersRepository } from './users.repository';
import { connectMongo } from './mongo-connection';

/** Injection token of the mongoose Connection. */
export const MONGO_CONNECTION = Symbol('MONGO_CONNECTION');
/** Injection token of the AccessPartsOf function, from the configured classification engine. */
export const ACCESS_PARTS_OF = Symbol('ACCESS_PARTS_OF');
/** Injection token of the FileRecordMirror that FilesRepository keeps (QueuesModule provides it, in Redis). */
export const FILE_RECORD_MIRROR = Symbol('FILE_RECORD_MIRROR');

@Global()
@Module({
  providers: [
    { provide: MONGO_CONNECTION, inject: [HOPPER_CONFIG], useFactory: (config: HopperConfig) => connectMongo(config.mongo.url) },
    {
      provide: ACCESS_PARTS_OF,
      inject: [CLASSIFICATION_ENGINE],
      useFactory: (engine: ClassificationEngine): AccessPartsOf => (classification) => accessControlFieldsFor(engine, classification),
    },
    {
      provide: FilesRepository,
      inject: [MONGO_CONNECTION, ACCESS_PARTS_OF, FILE_RECORD_MIRROR],
      useFactory: async (connection: Connection, accessPartsOf: AccessPartsOf, mirror: FileRecordMirror) => {
        const files = new FilesRepository(connection, accessPartsOf, mirror);
        await files.ensureIndexes();
        return files;
      },
    },
    ...[UsersRepository, SubmissionsRepository, AlertsRepository, ResultsRepository].map((Repository) => ({
      provide: Repository,
      inject: [MONGO_CONNECTION, ACCESS_PARTS_OF],
      useFactory: async (connection: Connection, accessPartsOf: AccessPartsOf) => {
        // Repositories of classified documents store their access-control parts; the others take no second argument.
        const repository = new Repository(connection, accessPartsOf);
        await repository.ensureIndexes();
        return repository;
      },
    })),
  ],
  exports: [MONGO_CONNECTION, ACCESS_PARTS_OF, FilesRepository, UsersRepository, SubmissionsRepository, AlertsRepository, ResultsRepository],
})
export class DatastoreModule implements OnApplicationShutdown {
  constructor(@Inject(MONGO_CONNECTION) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
