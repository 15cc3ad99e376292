import { Transform, TransformCallback } from 'node:stream';
import { FileTooBigError } from './errors';

/** Passes at most `maxBytes` through and fails with FileTooBigError at the first byte past it. */
export class ByteLimit extends Transform {
  private seen = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) callback(new FileTooBigError());
    else callback(null, chunk);
  }
}
