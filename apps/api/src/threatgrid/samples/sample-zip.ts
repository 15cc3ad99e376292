import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { SubmissionFile, SubmissionRecord } from '@hopper/datastore';
import { BlobNotFoundError, FILESTORE, Filestore } from '@hopper/filestore';
import { encryptedZip, ZIP_ENCRYPTIONS, ZipEncryption } from '../../files/encrypted-zip';
import { safeBasename } from '../../intake';
import { TgError } from '../http/tg-envelope';

/** Threat Grid's password for sample downloads (also the malware community's convention). */
export const SAMPLE_ZIP_PASSWORD = 'infected';

/**
 * ZipCrypto by default: Threat Grid clients are Python scripts, and Python's `zipfile` opens ZipCrypto but not
 * AES. The password is public; it only keeps scanners and double clicks off the sample, so AES adds no secrecy.
 */
export const DEFAULT_SAMPLE_ZIP_ENCRYPTION: ZipEncryption = 'zipcrypto';

/** The encryption a caller asked for (`zip_encryption`), the default when absent; `{error}` for anything else. */
export function sampleZipEncryption(asked: string | undefined): ZipEncryption | { error: string } {
  const value = asked?.trim().toLowerCase() || DEFAULT_SAMPLE_ZIP_ENCRYPTION;
  if ((ZIP_ENCRYPTIONS as readonly string[]).includes(value)) return value as ZipEncryption;
  return { error: `zip_encryption must be one of ${ZIP_ENCRYPTIONS.join(', ')}; got ${JSON.stringify(asked)}.` };
}

/** The name of the one entry: the submitted file's base name (a URL's last segment), else its sha256. */
export function sampleZipEntryName(file: SubmissionFile): string {
  return safeBasename(file.name) || file.sha256;
}

/** A sample.zip ready to stream: the filestore read is open (so a missing file is a clean 404), nothing read yet. */
export interface PreparedSampleZip {
  body: Readable;
  filename: string;
}

/** `GET /api/v2/samples/<id>/sample.zip`: the submitted file in a password zip, streamed from the filestore. */
@Injectable()
export class SampleZip {
  constructor(@Inject(FILESTORE) private readonly filestore: Filestore) {}

  async prepare(submission: SubmissionRecord, encryption: ZipEncryption): Promise<PreparedSampleZip> {
    const file = submission.files[0];
    if (!file) throw new TgError(`Sample ${submission.sid} has no submitted file.`, 404);
    let content: Readable;
    try {
      content = await this.filestore.get(file.sha256);
    } catch (error) {
      if (error instanceof BlobNotFoundError) {
        throw new TgError(`The file of sample ${submission.sid} (sha256 ${file.sha256}) is no longer in the filestore.`, 404);
      }
      throw error;
    }
    return { body: encryptedZip(content, sampleZipEntryName(file), SAMPLE_ZIP_PASSWORD, encryption), filename: `${submission.sid}.zip` };
  }
}
