export { assertValidKey, BlobNotFoundError, InvalidBlobKeyError } from './filestore';
export type { BlobEntry, BlobStat, Filestore, StagedBlob } from './filestore';
export { LocalFilestore } from './local-filestore';
export { S3Filestore } from './s3-filestore';
export type { S3FilestoreOptions } from './s3-filestore';
export { createFilestore } from './create-filestore';
export { FILESTORE, FilestoreModule } from './filestore.module';
