import type { Filestore } from '@hopper/filestore';
import { FileType, identifyHead } from './file-type/identify';
import { DEFAULT_HEAD_BYTES } from './head-capture';

/**
 * Identifies a committed blob from its head alone (a read of the first 64 KiB, a ranged GET on S3), as the
 * intake would have from the same bytes; throws BlobNotFoundError when the filestore does not hold it.
 */
export async function identifyStored(filestore: Pick<Filestore, 'readHead'>, sha256: string): Promise<FileType> {
  return identifyHead(await filestore.readHead(sha256, DEFAULT_HEAD_BYTES));
}
