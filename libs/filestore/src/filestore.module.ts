import { Global, Module } from '@nestjs/common';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { createFilestore } from './create-filestore';
import { FILESTORE } from './filestore.tokens';
import { StagingSweeper } from './staging-sweeper';

export { FILESTORE };

@Global()
@Module({
  providers: [
    { provide: FILESTORE, inject: [HOPPER_CONFIG], useFactory: (config: HopperConfig) => createFilestore(config.filestore) },
    StagingSweeper,
  ],
  exports: [FILESTORE],
})
export class FilestoreModule {}
