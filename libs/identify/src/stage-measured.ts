import type { Readable } from 'node:stream';
import { Filestore, FilestoreUnavailableError, pipeChain, StagedBlob } from '@hopper/filestore';
import type { FileDigests } from './file-digests';
import { DEFAULT_HEAD_BYTES, HeadCapture } from './head-capture';
import { OffThreadHasher } from './off-thread-hasher';

/** Bytes staged in the filestore, with what one pass over them learnt: digests, size, entropy and head. */
export interface MeasuredBlob {
  digests: FileDigests;
  /** The first bytes (64 KiB unless asked for fewer), for identification. */
  head: Buffer;
  staged: StagedBlob;
}

/**
 * Stages `source` in the filestore while hashing it and keeping its head, in one streaming pass: memory stays
 * bounded by the head and the hasher's batches (4 MiB) whatever the size. Hashing runs on a hashing thread, so the
 * event loop only parses, copies and writes (a file within one 1 MiB batch is hashed inline, at its end). If the
 * source fails, whatever was staged is discarded. `headBytes`: how much of the start to keep; a caller that does
 * not identify the file keeps only what tells a CaRT (CART_HEAD_BYTES), sparing two copies of 64 KiB per file.
 */
export async function stageMeasured(source: Readable, filestore: Filestore, headBytes = DEFAULT_HEAD_BYTES): Promise<MeasuredBlob> {
  const head = new HeadCapture(headBytes);
  const hasher = new OffThreadHasher();
  const [flow, staging] = await Promise.allSettled([pipeChain(source, head, hasher), filestore.stage(hasher)]);
  if (flow.status === 'rejected') {
    if (staging.status === 'fulfilled') await staging.value.discard().catch(() => undefined);
    // A store that failed ends the flow too (its input is destroyed: a premature close), and an outage may end
    // it with any error: then the store's failure is the cause to report, not the upload's.
    if (staging.status === 'rejected' && (staging.reason instanceof FilestoreUnavailableError || isPrematureClose(flow.reason))) throw staging.reason;
    throw flow.reason;
  }
  if (staging.status === 'rejected') throw staging.reason;
  return { digests: hasher.fileDigests(), head: head.head(), staged: staging.value };
}

const isPrematureClose = (error: unknown) => (error as { code?: unknown } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
