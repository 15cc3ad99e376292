import { PassThrough, Readable, Transform, Writable } from 'node:stream';
import { pipeChain } from './pipe-chain';

/** A sink that keeps what it is given, each write completing a tick later (so backpressure builds up). */
function slowSink(): Writable & { received: Buffer[] } {
  const received: Buffer[] = [];
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk);
      setImmediate(callback);
    },
  });
  return Object.assign(sink, { received });
}

const chunks = (count: number, size: number) => Array.from({ length: count }, (_, index) => Buffer.alloc(size, index));

describe('pipeChain', () => {
  it('passes every byte through, in order, with backpressure, and resolves once the sink has finished and closed', async () => {
    const parts = chunks(64, 4096);
    const middle = new PassThrough();
    const sink = slowSink();
    // The bytes held between source and sink: bounded by the buffers of the streams, not the 256 KiB sent.
    let mostBuffered = 0;
    const write = sink._write.bind(sink);
    sink._write = (chunk, encoding, callback) => {
      mostBuffered = Math.max(mostBuffered, middle.writableLength + middle.readableLength + sink.writableLength);
      write(chunk, encoding, callback);
    };
    let closed = false;
    sink.on('close', () => (closed = true));
    // All of it ready at once: only backpressure keeps it from piling up in the middle stream.
    const source = new PassThrough({ highWaterMark: 1024 * 1024 });
    for (const part of parts) source.write(part);
    source.end();
    await pipeChain(source, middle, sink);
    expect(Buffer.concat(sink.received).equals(Buffer.concat(parts))).toBe(true);
    expect(mostBuffered).toBeGreaterThan(0);
    expect(mostBuffered).toBeLessThanOrEqual(64 * 1024);
    expect(sink.writableFinished).toBe(true);
    expect(closed).toBe(true);
  });

  it('rejects with the error of a failing source and destroys every stream', async () => {
    const source = new PassThrough();
    const middle = new PassThrough();
    const sink = slowSink();
    const chain = pipeChain(source, middle, sink);
    source.write(Buffer.alloc(10));
    source.destroy(new Error('upload broke'));
    await expect(chain).rejects.toThrow('upload broke');
    expect(middle.destroyed).toBe(true);
    expect(sink.destroyed).toBe(true);
  });

  it('rejects with the error of a failing sink and destroys the source', async () => {
    const source = new PassThrough();
    const sink = new Writable({ write: (_chunk, _encoding, callback) => callback(new Error('disk full')) });
    const chain = pipeChain(source, sink);
    source.write(Buffer.alloc(10));
    await expect(chain).rejects.toThrow('disk full');
    expect(source.destroyed).toBe(true);
  });

  it('rejects with a premature close when the source closes before its end, as pipeline does', async () => {
    const source = new PassThrough();
    const sink = slowSink();
    const chain = pipeChain(source, sink);
    source.write(Buffer.alloc(10));
    source.destroy();
    await expect(chain).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    expect(sink.destroyed).toBe(true);
  });

  it('watches the last stream as a sink only, so its readable side can be consumed elsewhere', async () => {
    const parts = chunks(8, 1000);
    const upper = new Transform({ transform: (chunk: Buffer, _encoding, callback) => callback(null, chunk) });
    const elsewhere = slowSink();
    upper.pipe(elsewhere);
    await pipeChain(Readable.from(parts, { objectMode: false }), upper);
    expect(upper.writableFinished).toBe(true);
    await new Promise((resolve) => elsewhere.once('finish', resolve));
    expect(Buffer.concat(elsewhere.received).equals(Buffer.concat(parts))).toBe(true);
  });

  it('refuses a chain of fewer than two streams', async () => {
    await expect(pipeChain(new PassThrough())).rejects.toThrow('pipeChain needs a source and a sink');
  });
});
