import { Inject, Injectable, Logger } from '@nestjs/common';
import { FILESTORE, Filestore, StagedBlob } from '@hopper/filestore';
import { CartError, createCartDecoder, DEFAULT_HEAD_BYTES, identifyHead, identifyStored, isCart, MeasuredBlob, stageMeasured } from '@hopper/identify';
import type { StagedDownload } from '@hopper/file-sources';
import type { IdentifiedIntakeFile, IntakeFile } from './intake-file';

/** Assemblyline's type for a CaRT that does not decode (it is kept as sent, under that type). */
export const CORRUPTED_CART_TYPE = 'corrupted/cart';

/**
 * Turns staged bytes into an intake file, Assemblyline's `decode_file` way: a CaRT is decoded (streamed from
 * staging back into staging, hashed on the way) and its header kept; a CaRT that does not decode stays as
 * sent, typed `corrupted/cart`. The file is identified from its head unless `identify` is false (ingest: the
 * ingester identifies the stored blob, off the request path); a corrupted CaRT is typed here whatever it says,
 * since its head alone would call it `archive/cart`.
 */
@Injectable()
export class FileIntake {
  private readonly logger = new Logger(FileIntake.name);

  constructor(@Inject(FILESTORE) private readonly filestore: Filestore) {}

  fromMeasured(blob: MeasuredBlob): Promise<IdentifiedIntakeFile>;
  fromMeasured(blob: MeasuredBlob, identify: boolean): Promise<IntakeFile>;
  async fromMeasured(blob: MeasuredBlob, identify = true): Promise<IntakeFile> {
    if (isCart(blob.head)) return this.unwrapCart(blob, identify);
    const file: IntakeFile = { digests: blob.digests, staged: blob.staged, cart: null };
    return identify ? { ...(await identifyHead(blob.head)), ...file } : file;
  }

  fromDownload(download: StagedDownload): Promise<IdentifiedIntakeFile>;
  fromDownload(download: StagedDownload, identify: boolean): Promise<IntakeFile>;
  async fromDownload(download: StagedDownload, identify = true): Promise<IntakeFile> {
    const { staged, hashes, size, entropy, head } = download;
    return this.fromMeasured({ staged, head, digests: { ...hashes, size, entropy } }, identify);
  }

  /** A blob already in the filestore that no file document describes yet: measure a staged copy of it. */
  fromStored(sha256: string): Promise<IdentifiedIntakeFile>;
  fromStored(sha256: string, identify: boolean): Promise<IntakeFile>;
  async fromStored(sha256: string, identify = true): Promise<IntakeFile> {
    return this.fromMeasured(await stageMeasured(await this.filestore.get(sha256), this.filestore), identify);
  }

  /**
   * The file, identified: as it is when its type is known, else (a file known by its pending sightings only)
   * typed from its head, read from the filestore. Fills the file in place, so whoever holds it sees the type.
   */
  async identified(file: IntakeFile): Promise<IdentifiedIntakeFile> {
    if (file.type !== undefined) return file as IdentifiedIntakeFile;
    const head = file.staged ? await stagedHead(file.staged) : null;
    return Object.assign(file, head ? await identifyHead(head) : await identifyStored(this.filestore, file.digests.sha256));
  }

  private async unwrapCart(raw: MeasuredBlob, identify: boolean): Promise<IntakeFile> {
    const decoder = createCartDecoder();
    const input = await raw.staged.open();
    input.once('error', (error) => decoder.stream.destroy(error));
    const decoded = stageMeasured(input.pipe(decoder.stream), this.filestore);
    const [staging, result] = await Promise.allSettled([decoded, decoder.result]);
    if (staging.status === 'fulfilled' && result.status === 'fulfilled') {
      await raw.staged.discard();
      const inner = staging.value;
      const file: IntakeFile = { digests: inner.digests, staged: inner.staged, cart: result.value };
      return identify ? { ...(await identifyHead(inner.head)), ...file } : file;
    }
    if (staging.status === 'fulfilled') await staging.value.staged.discard().catch(() => undefined);
    const reason = result.status === 'rejected' ? result.reason : (staging as PromiseRejectedResult).reason;
    if (!(reason instanceof CartError)) {
      await raw.staged.discard().catch(() => undefined);
      throw reason;
    }
    this.logger.log({ sha256: raw.digests.sha256, reason: reason.message }, 'CaRT did not decode: kept as corrupted/cart');
    // Its magic and MIME come from the head identification reads (an upload that kept less reads it again).
    const head = raw.head.length < Math.min(DEFAULT_HEAD_BYTES, raw.digests.size) ? await stagedHead(raw.staged) : raw.head;
    const type = await identifyHead(head);
    return { ...type, type: CORRUPTED_CART_TYPE, digests: raw.digests, staged: raw.staged, cart: null };
  }
}

/** The head of a staged file (what identification reads). */
async function stagedHead(staged: StagedBlob): Promise<Buffer> {
  const limit = DEFAULT_HEAD_BYTES;
  const parts: Buffer[] = [];
  let kept = 0;
  for await (const chunk of await staged.open()) {
    parts.push(chunk as Buffer);
    kept += (chunk as Buffer).length;
    if (kept >= limit) break; // leaving the loop closes the stream
  }
  return Buffer.concat(parts).subarray(0, limit);
}
