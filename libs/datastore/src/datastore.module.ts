import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Connection } from 'mongoose';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FilesRepository } from './files.repository';
import { AlertsRepository } from './alerts.repository';
import { SubmissionsRepository } from './submissions.repository';
import { UsersRepository } from './users.repository';
import { connectMongo } from './mongo-connection';

/** Injection token of the mongoose Connection. */
export const MONGO_CONNECTION = Symbol('MONGO_CONNECTION');

@Global()
@Module({
  providers: [
    { provide: MONGO_CONNECTION, inject: [HOPPER_CONFIG], useFactory: (config: HopperConfig) => connectMongo(config.mongo.url) },
    ...[FilesRepository, UsersRepository, SubmissionsRepository, AlertsRepository].map((Repository) => ({
      provide: Repository,
      inject: [MONGO_CONNECTION],
      useFactory: async (connection: Connection) => {
        const repository = new Repository(connection);
        await repository.ensureIndexes();
        return repository;
      },
    })),
  ],
  exports: [MONGO_CONNECTION, FilesRepository, UsersRepository, SubmissionsRepository, AlertsRepository],
})
export class DatastoreModule implements OnApplicationShutdown {
  constructor(@Inject(MONGO_CONNECTION) private readonly connection: Connection) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
