import { Transform, TransformCallback } from 'node:stream';

/** Identification looks at this much of a file's start (Assemblyline's libmagic reads about as much). */
export const DEFAULT_HEAD_BYTES = 64 * 1024;

/**
 * A pass-through stream that keeps a copy of the first `limit` bytes, so a file can be identified from
 * the same pass that hashes and stores it. Memory is bounded by `limit` whatever the file's size.
 */
export class HeadCapture extends Transform {
  private readonly parts: Buffer[] = [];
  private kept = 0;

  constructor(private readonly limit: number = DEFAULT_HEAD_BYTES) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.kept < this.limit) {
      const take = chunk.subarray(0, this.limit - this.kept);
      // Copy: the producer may reuse its chunk buffers.
      this.parts.push(Buffer.from(take));
      this.kept += take.length;
    }
    callback(null, chunk);
  }

  /** The bytes captured so far (the whole head once `limit` bytes or the end have passed). */
  head(): Buffer {
    return Buffer.concat(this.parts, this.kept);
  }
}
