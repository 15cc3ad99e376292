import { Global, Module } from '@nestjs/common';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { createFilestore } from './create-filestore';

/** Injection token of the Filestore. */
export const FILESTORE = Symbol('FILESTORE');

@Global()
@Module({
  providers: [
    { provide: FILESTORE, inject: [HOPPER_CONFIG], useFactory: (config: HopperConfig) => createFilestore(config.filestore) },
  ],
  exports: [FILESTORE],
})
export class FilestoreModule {}
