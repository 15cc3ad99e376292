import { Inject, Injectable, Logger } from '@nestjs/common';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { CartError, createCartDecoder, identifyHead, isCart, MeasuredBlob, stageMeasured } from '@hopper/identify';
import type { StagedDownload } from '@hopper/file-sources';
import type { IntakeFile } from './intake-file';

/** Assemblyline's type for a CaRT that does not decode (it is kept as sent, under that type). */
export const CORRUPTED_CART_TYPE = 'corrupted/cart';

/**
 * Turns staged bytes into an identified intake file, Assemblyline's `decode_file` way: a CaRT is decoded
 * (streamed from staging back into staging, hashed and identified on the way) and its header kept; a CaRT
 * that does not decode stays as sent, typed `corrupted/cart`.
 */
@Injectable()
export class FileIntake {
  private readonly logger = new Logger(FileIntake.name);

  constructor(@Inject(FILESTORE) private readonly filestore: Filestore) {}

  async fromMeasured(blob: MeasuredBlob): Promise<IntakeFile> {
    if (isCart(blob.head)) return this.unwrapCart(blob);
    return { ...(await identifyHead(blob.head)), digests: blob.digests, staged: blob.staged, cart: null };
  }

  async fromDownload(download: StagedDownload): Promise<IntakeFile> {
    const { staged, hashes, size, entropy, head } = download;
    return this.fromMeasured({ staged, head, digests: { ...hashes, size, entropy } });
  }

  /** A blob already in the filestore that no file document describes yet: measure a staged copy of it. */
  async fromStored(sha256: string): Promise<IntakeFile> {
    return this.fromMeasured(await stageMeasured(await this.filestore.get(sha256), this.filestore));
  }

  private async unwrapCart(raw: MeasuredBlob): Promise<IntakeFile> {
    const decoder = createCartDecoder();
    const input = await raw.staged.open();
    input.once('error', (error) => decoder.stream.destroy(error));
    const decoded = stageMeasured(input.pipe(decoder.stream), this.filestore);
    const [staging, result] = await Promise.allSettled([decoded, decoder.result]);
    if (staging.status === 'fulfilled' && result.status === 'fulfilled') {
      await raw.staged.discard();
      const inner = staging.value;
      return { ...(await identifyHead(inner.head)), digests: inner.digests, staged: inner.staged, cart: result.value };
    }
    if (staging.status === 'fulfilled') await staging.value.staged.discard().catch(() => undefined);
    const reason = result.status === 'rejected' ? result.reason : (staging as PromiseRejectedResult).reason;
    if (!(reason instanceof CartError)) {
      await raw.staged.discard().catch(() => undefined);
      throw reason;
    }
    this.logger.log({ sha256: raw.digests.sha256, reason: reason.message }, 'CaRT did not decode: kept as corrupted/cart');
    const type = await identifyHead(raw.head);
    return { ...type, type: CORRUPTED_CART_TYPE, digests: raw.digests, staged: raw.staged, cart: null };
  }
}
