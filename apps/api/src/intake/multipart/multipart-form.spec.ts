import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFilestore } from '@hopper/filestore';
import { MeasuredBlob, stageMeasured } from '@hopper/identify';
import { MultipartForm, readMultipartForm } from './multipart-form';
import { STORAGE_FULL } from './storage-fault';

const root = mkdtempSync(join(tmpdir(), 'hopper-multipart-form-'));
const filestore = new LocalFilestore(root);
const stagingEntries = () => (existsSync(join(root, '.staging')) ? readdirSync(join(root, '.staging')) : []);

const messages = {
  notMultipart: 'not multipart',
  fieldTooLarge: (name: string, max: number) => `${name} over ${max}`,
  tooManyParts: (max: number) => `more than ${max} parts`,
};

/** A form taking any text part and `file` parts of at most 16 bytes, with the test's rules on top. */
function formWith(rules: Partial<MultipartForm<MeasuredBlob>> = {}): MultipartForm<MeasuredBlob> {
  return {
    messages,
    maxFieldBytes: 32,
    limits: { fieldNameBytes: 64, parts: 6 },
    admitFile: (name) => {
      if (name !== 'file') throw new BadRequestException(`no part ${name}`);
      return { maxBytes: 16, tooLarge: (size, max) => new PayloadTooLargeException(`${size} > ${max}`) };
    },
    stage: (body) => stageMeasured(body, filestore),
    ...rules,
  };
}

describe('readMultipartForm (the one multipart reader)', () => {
  let server: Server;
  let url: string;
  let port: number;
  /** The form the next request is read with, and where its outcome goes. */
  let form: MultipartForm<MeasuredBlob>;
  let outcome: Promise<unknown>;

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      const reading = readMultipartForm(request, form);
      outcome = reading;
      reading.then(
        async ({ fields, files }) => {
          const parts = files.map(({ part, filename, digests }) => ({ part, filename, sha256: digests.sha256, size: digests.size }));
          await Promise.all(files.map((file) => file.staged.discard()));
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ fields: [...fields], parts }));
        },
        (error: Error) => {
          response.writeHead(error instanceof HttpException ? error.getStatus() : 500, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ message: error.message }));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    url = `http://127.0.0.1:${port}/`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  async function post(rules: Partial<MultipartForm<MeasuredBlob>>, parts: Array<[string, string | Blob, string?]>) {
    form = formWith(rules);
    const data = new FormData();
    for (const [name, value, filename] of parts) {
      if (typeof value === 'string') data.append(name, value);
      else data.append(name, value, filename);
    }
    const response = await fetch(url, { method: 'POST', body: data });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  it('keeps every text part in order and stages each file part measured, under the part it came in', async () => {
    const { status, body } = await post({}, [
      ['tag', 'a'],
      ['file', new Blob(['first']), 'one.txt'],
      ['tag', 'b'],
      ['file', new Blob(['second']), 'two.txt'],
    ]);
    expect(status).toBe(200);
    expect(body.fields).toEqual([['tag', ['a', 'b']]]);
    expect(body.parts).toEqual([
      { part: 'file', filename: 'one.txt', size: 5, sha256: createHash('sha256').update('first').digest('hex') },
      { part: 'file', filename: 'two.txt', size: 6, sha256: createHash('sha256').update('second').digest('hex') },
    ]);
  });

  it('applies the size rule to text parts after their name is admitted', async () => {
    const admitted: string[] = [];
    const { status, body } = await post({ admitField: (name) => void admitted.push(name) }, [['note', 'x'.repeat(40)]]);
    expect(status).toBe(400);
    expect(body.message).toBe('note over 32');
    expect(admitted).toEqual(['note']);
  });

  it('refuses a file part past its cap naming the whole size, and keeps nothing', async () => {
    const { status, body } = await post({}, [['file', new Blob([Buffer.alloc(100, 7)]), 'big.bin']]);
    expect(status).toBe(413);
    expect(body.message).toBe('100 > 16');
    expect(stagingEntries()).toEqual([]);
  });

  it('answers the first refusal, drains the file parts after it without admitting them, and discards what was staged', async () => {
    const seen: string[] = [];
    const { status, body } = await post(
      {
        admitField: (name) => {
          if (name === 'bad') throw new BadRequestException('bad part');
        },
        admitFile: (name, filename) => {
          seen.push(filename ?? '');
          return { maxBytes: 16, tooLarge: (size, max) => new PayloadTooLargeException(`${size} > ${max}`) };
        },
      },
      [
        ['file', new Blob(['kept']), 'before.txt'],
        ['bad', 'x'],
        ['other', 'y'.repeat(40)],
        ['file', new Blob(['later']), 'after.txt'],
      ],
    );
    expect(status).toBe(400);
    expect(body.message).toBe('bad part');
    expect(seen).toEqual(['before.txt']);
    expect(stagingEntries()).toEqual([]);
  });

  it('waits for an asynchronous admission before staging, and drains a part whose admission is refused', async () => {
    let released = false;
    const accepted = await post(
      {
        admitFile: async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          released = true;
          return { maxBytes: 16, tooLarge: (size, max) => new PayloadTooLargeException(`${size} > ${max}`) };
        },
      },
      [['file', new Blob(['late']), 'late.txt']],
    );
    expect(accepted.status).toBe(200);
    expect(released).toBe(true);
    expect(accepted.body.parts).toEqual([expect.objectContaining({ filename: 'late.txt', size: 4 })]);

    const refused = await post(
      {
        admitFile: async () => {
          throw new HttpException('who are you', 401);
        },
      },
      [['file', new Blob([Buffer.alloc(50_000, 1)]), 'x.bin']],
    );
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe('who are you');
    expect(stagingEntries()).toEqual([]);
  });

  it("refuses through the form's complete() after everything is read, discarding the staged files", async () => {
    const { status, body } = await post(
      {
        complete: (read) => {
          if (!read.fields.has('json')) throw new BadRequestException('no json');
        },
      },
      [['file', new Blob(['abc']), 'a.txt']],
    );
    expect(status).toBe(400);
    expect(body.message).toBe('no json');
    expect(stagingEntries()).toEqual([]);
  });

  it('answers a full local disk met while staging with 507, and another disk fault as a server error (500), never a 400', async () => {
    const diskError = (code: string) => Object.assign(new Error(`${code}: write failed`), { code, syscall: 'write' });
    const full = await post({ stage: () => Promise.reject(diskError('ENOSPC')) }, [['file', new Blob(['abc']), 'a.txt']]);
    expect(full).toEqual({ status: 507, body: { message: STORAGE_FULL } });
    const broken = await post({ stage: () => Promise.reject(diskError('EIO')) }, [['file', new Blob(['abc']), 'a.txt']]);
    expect(broken).toEqual({ status: 500, body: { message: 'EIO: write failed' } });
    // A failure that is the upload's own (no system call of this server) is still the upload's 400.
    const own = await post({ stage: () => Promise.reject(new Error('stream ended early')) }, [['file', new Blob(['abc']), 'a.txt']]);
    expect(own).toEqual({ status: 400, body: { message: 'Upload failed: stream ended early' } });
  });

  it("answers the form's message when busboy's part cap is reached", async () => {
    const { status, body } = await post({}, Array.from({ length: 8 }, (_, i): [string, string] => [`f${i}`, 'x']));
    expect(status).toBe(400);
    expect(body.message).toBe('more than 6 parts');
  });

  it('refuses a body that is not multipart with the form message, and one without a boundary as invalid', async () => {
    form = formWith();
    const plain = await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(plain.status).toBe(400);
    expect(((await plain.json()) as { message: string }).message).toBe('not multipart');
    const noBoundary = await fetch(url, { method: 'POST', body: 'x', headers: { 'content-type': 'multipart/form-data' } });
    expect(noBoundary.status).toBe(400);
    expect(((await noBoundary.json()) as { message: string }).message).toMatch(/^Invalid multipart body: /);
  });

  it('ends the read and keeps nothing when the client goes away mid-file', async () => {
    let partStarted!: () => void;
    const started = new Promise<void>((resolve) => (partStarted = resolve));
    form = formWith({
      admitFile: () => {
        partStarted();
        return { maxBytes: 1 << 20, tooLarge: (size, max) => new PayloadTooLargeException(`${size} > ${max}`) };
      },
    });
    const boundary = 'cut';
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 100000\r\n\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\nContent-Type: application/octet-stream\r\n\r\n` +
        'x'.repeat(5000),
    );
    await started;
    const reading = outcome;
    socket.destroy();
    await expect(reading).rejects.toBeInstanceOf(HttpException);
    expect(stagingEntries()).toEqual([]);
  });
});
