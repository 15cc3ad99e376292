import { HttpException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFilestore } from '@hopper/filestore';
import { readMultipartSubmission } from '../apps/api/src/intake/multipart-submission';

const root = mkdtempSync(join(tmpdir(), 'hopper-multipart-'));
const filestore = new LocalFilestore(root);
const limits = { maxJsonBytes: 4096, maxFileBytes: 1024 * 1024 };
const stagingEntries = () => (existsSync(join(root, '.staging')) ? readdirSync(join(root, '.staging')) : []);

describe('reading an Assemblyline multipart submission', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // Answers what the reader made of the request: the parsed parts, or the refusal it raised.
    server = createServer(async (request, response) => {
      try {
        const { json, file } = await readMultipartSubmission(request, filestore, limits);
        if (file) await file.staged.commit(file.digests.sha256);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ json, file: file && { filename: file.filename, digests: file.digests, head: file.head.length } }));
      } catch (error) {
        const status = error instanceof HttpException ? error.getStatus() : 500;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: (error as Error).message }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  async function post(form: FormData | string, contentType?: string) {
    const response = await fetch(url, {
      method: 'POST',
      body: form,
      ...(contentType ? { headers: { 'content-type': contentType } } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  }

  function form(parts: Array<[string, string | Blob, string?]>): FormData {
    const data = new FormData();
    for (const [name, value, filename] of parts) {
      if (typeof value === 'string') data.append(name, value);
      else data.append(name, value, filename);
    }
    return data;
  }

  it('streams the bin part into staging, hashed, and parses the json part', async () => {
    const content = Buffer.from('MZ'.padEnd(5000, 'x'));
    const { status, body } = await post(form([['json', '{"name":"sample.exe","metadata":{"a":"b"}}'], ['bin', new Blob([content]), 'bin']]));
    expect(status).toBe(200);
    expect(body.json).toEqual({ name: 'sample.exe', metadata: { a: 'b' } });
    expect(body.file).toEqual({
      filename: 'bin',
      head: content.length,
      digests: {
        size: content.length,
        md5: createHash('md5').update(content).digest('hex'),
        sha1: createHash('sha1').update(content).digest('hex'),
        sha256: createHash('sha256').update(content).digest('hex'),
        entropy: expect.any(Number),
      },
    });
    expect(await filestore.exists(body.file.digests.sha256)).toBe(true);
  });

  it('accepts the bin part before the json part', async () => {
    const { status, body } = await post(form([['bin', new Blob(['abc']), 'a.txt'], ['json', '{}']]));
    expect(status).toBe(200);
    expect(body.file.digests.size).toBe(3);
  });

  it('answers 413 naming the real size past the limit, and keeps nothing', async () => {
    const big = new Blob([Buffer.alloc(limits.maxFileBytes + 10, 1)]);
    const { status, body } = await post(form([['json', '{}'], ['bin', big, 'big.bin']]));
    expect(status).toBe(413);
    expect(body.message).toBe(`File too large (${limits.maxFileBytes + 10} > ${limits.maxFileBytes}). Ingestion failed`);
    expect(stagingEntries()).toEqual([]);
  });

  it.each([
    ['a body that is not multipart', () => post('{"json":{}}', 'application/json'), 'Invalid content type'],
    ['no json part', () => post(form([['bin', new Blob(['x']), 'x']])), 'Missing data block'],
    ['an unknown part', () => post(form([['json', '{}'], ['extra', 'x']])), 'Unknown part "extra": expected json and bin'],
    ['an unknown file part', () => post(form([['json', '{}'], ['file', new Blob(['x']), 'x']])), 'Unknown part "file": expected json and bin'],
    ['two bin parts', () => post(form([['json', '{}'], ['bin', new Blob(['x']), 'x'], ['bin', new Blob(['y']), 'y']])), 'Only one bin part is allowed'],
    ['two json parts', () => post(form([['json', '{}'], ['json', '{}']])), 'Only one json part is allowed'],
    ['invalid JSON', () => post(form([['json', '{"a":'], ['bin', new Blob(['x']), 'x']])), /^The json part is not valid JSON: /],
    ['a JSON array', () => post(form([['json', '[1]'], ['bin', new Blob(['x']), 'x']])), 'The json part must be a JSON object'],
    ['an oversized json part', () => post(form([['json', JSON.stringify({ a: 'x'.repeat(5000) })]])), 'The json part is larger than 4096 bytes'],
  ])('refuses %s with a 400 and keeps nothing', async (_name, send, expected) => {
    const { status, body } = await send();
    expect(status).toBe(400);
    if (typeof expected === 'string') expect(body.message).toBe(expected);
    else expect(body.message).toMatch(expected);
    expect(stagingEntries()).toEqual([]);
  });

  it('refuses json bytes that are not UTF-8', async () => {
    const boundary = 'hopperboundary';
    const raw = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="json"\r\n\r\n{"name":"`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(`"}\r\n--${boundary}--\r\n`),
    ]);
    const response = await fetch(url, { method: 'POST', body: raw, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe('The json part is not valid UTF-8');
  });
});
