import { resolve } from 'node:path';
import type { HopperConfig } from '@hopper/config';
import { Filestore } from './filestore';
import { LocalFilestore } from './local-filestore';
import { S3Filestore } from './s3-filestore';

/** The filestore the configuration names (validation has already ensured the s3 keys are set). */
export function createFilestore(config: HopperConfig['filestore']): Filestore {
  if (config.backend === 's3') {
    return new S3Filestore({
      endpoint: config.s3.endpoint!,
      accessKey: config.s3.access_key!,
      secretKey: config.s3.secret_key!,
      bucket: config.s3.bucket,
      region: config.s3.region,
    });
  }
  return new LocalFilestore(resolve(config.local.path));
}
