import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HeadCapture } from './head-capture';

describe('HeadCapture', () => {
  it('keeps only the first bytes and passes everything through', async () => {
    const capture = new HeadCapture(10);
    const out: Buffer[] = [];
    const sink = new PassThrough();
    sink.on('data', (c: Buffer) => out.push(c));
    await pipeline(Readable.from([Buffer.from('abcdef'), Buffer.from('ghijklmn'), Buffer.from('op')]), capture, sink);
    expect(capture.head().toString()).toBe('abcdefghij');
    expect(Buffer.concat(out).toString()).toBe('abcdefghijklmnop');
  });

  it('keeps all of a short input', async () => {
    const capture = new HeadCapture(100);
    await pipeline(Readable.from([Buffer.from('short')]), capture, new PassThrough().resume());
    expect(capture.head().toString()).toBe('short');
  });
});
