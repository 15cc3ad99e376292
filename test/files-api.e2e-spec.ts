// Assemblyline's file routes (info, download, strings, hex, ascii) through HTTP, on files ingested through the
// Ingest API, with the classification scheme enforced: a TLP:AMBER file is invisible to a TLP:CLEAR user.
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import request from 'supertest';
import * as zip from '@zip.js/zip.js';
import { HopperConfig } from '@hopper/config';
import { ACCESS_PARTS_OF, AccessPartsOf, FilesRepository, SubmissionsRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { createCartDecoder } from '@hopper/identify';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { sightingsRecorded, startIngester } from './support/ingester-harness';
import { isolatedConfig, removeTestKeys, uniqueId } from './support/test-env';
import { binaryBody } from './support/binary-body';

const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A small "executable": a header, ASCII and UTF-16LE strings between binary bytes, and bytes nobody else has. */
function sampleContent(label: string): Buffer {
  return Buffer.concat([
    Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]),
    Buffer.from('This program cannot be run in DOS mode.\x00\x01'),
    Buffer.from('kernel32.dll', 'utf16le'),
    Buffer.from([0xff, 0xfe, 0x01]),
    Buffer.from(`${label}-${uniqueId('marker')}\x00`),
    Buffer.from('abc\x00'), // shorter than the default minimum length of 6
    randomBytes(6000),
  ]);
}

/** The Assemblyline envelope of an error, whole. */
function expectError(response: { status: number; body: unknown }, status: number, message: string): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: { api_response: null, api_error_message: message, api_server_version: expect.stringMatching(/^hopper-/), api_status_code: status },
  });
}

async function decodeCart(cart: Buffer) {
  const decoder = createCartDecoder();
  const content = await buffer(Readable.from([cart]).pipe(decoder.stream));
  return { content, ...(await decoder.result) };
}

async function unzip(archive: Buffer, password: string) {
  const reader = new zip.ZipReader(new zip.Uint8ArrayReader(archive), { password });
  try {
    const entries = await reader.getEntries();
    const contents = await Promise.all(entries.map((entry) => (entry as zip.FileEntry).getData(new zip.Uint8ArrayWriter())));
    return entries.map((entry, n) => ({ name: entry.filename, encrypted: entry.encrypted, zipCrypto: entry.zipCrypto, content: Buffer.from(contents[n]!) }));
  } finally {
    await reader.close();
  }
}

const FILE_DOES_NOT_EXIST = 'This file does not exists.';
const FILE_NOT_FOUND = 'The file was not found in the system.';

describe('file API (info, download, strings, hex, ascii)', () => {
  let config: HopperConfig;
  let app: INestApplication;
  let ingester: INestApplicationContext;
  let files: FilesRepository;
  let filestore: Filestore;
  let clear: TestUser;
  let amber: TestUser;
  let viewer: TestUser;
  let noRoles: TestUser;
  /** A TLP:CLEAR file and its bytes, and a TLP:AMBER one. */
  const open: { content: Buffer; sha256: string } = { content: Buffer.alloc(0), sha256: '' };
  const secret: { content: Buffer; sha256: string } = { content: Buffer.alloc(0), sha256: '' };

  const get = (who: TestUser, path: string) => request(app.getHttpServer()).get(path).set(who.headers).set('content-type', 'application/json');
  const download = (who: TestUser, sha256: string, query: Record<string, string> = {}) =>
    get(who, `/api/v4/file/download/${sha256}/`).query(query).buffer(true).parse(binaryBody);
  /** The JSON envelope of a download that was refused (its body was read as bytes). */
  const refused = (response: request.Response) => ({ status: response.status, body: JSON.parse((response.body as Buffer).toString('utf8')) });

  async function ingest(who: TestUser, content: Buffer, json: Record<string, unknown>): Promise<string> {
    await request(app.getHttpServer())
      .post('/api/v4/ingest/')
      .set(who.headers)
      .field('json', JSON.stringify(json))
      .attach('bin', content, 'upload.bin')
      .expect(200);
    // The ingester records the file's document (the API leaves that write to it).
    await sightingsRecorded(app, sha256Of(content));
    return sha256Of(content);
  }

  beforeAll(async () => {
    config = isolatedConfig('files-api', {
      classification: join(__dirname, 'fixtures/classification/enforced.yml'),
      // Nothing completes the ingests here: quota slots would never come back.
      ui: { enforce_quota: false },
    });
    app = await startApi(config);
    ingester = await startIngester(config);
    files = app.get(FilesRepository);
    filestore = app.get(FILESTORE);
    clear = await addUserWithKey(app, { classification: 'TLP:CLEAR' });
    amber = await addUserWithKey(app, { classification: 'TLP:AMBER' });
    viewer = await addUserWithKey(app, { classification: 'TLP:AMBER', type: ['viewer'] });
    noRoles = await addUserWithKey(app, { classification: 'TLP:AMBER', type: ['custom'], roles: ['submission_view'] });
    open.content = sampleContent('open');
    open.sha256 = await ingest(clear, open.content, { name: 'sample.exe' });
    secret.content = sampleContent('secret');
    secret.sha256 = await ingest(amber, secret.content, { name: 'secret.exe', params: { classification: 'TLP:AMBER' } });
  });

  afterAll(async () => {
    await ingester.close();
    await files.model.db.dropDatabase();
    await app.close();
    // The ingest jobs queued above, and any other key of this test's prefix.
    await removeTestKeys(config);
  });

  describe('info', () => {
    it("answers the file's record with Assemblyline's field names", async () => {
      const record = (await files.findBySha256(open.sha256))!;
      const response = await get(clear, `/api/v4/file/info/${open.sha256}/`).expect(200);
      expect(response.body).toEqual({
        api_response: {
          sha256: open.sha256,
          md5: createHash('md5').update(open.content).digest('hex'),
          sha1: createHash('sha1').update(open.content).digest('hex'),
          size: open.content.length,
          type: record.type,
          magic: record.magic ?? null,
          mime: record.mime ?? null,
          entropy: record.entropy,
          classification: 'TLP:CLEAR',
          seen: { count: 1, first: record.seen.first.toISOString(), last: record.seen.last.toISOString() },
          expiry_ts: record.expiry_ts ? record.expiry_ts.toISOString() : null,
        },
        api_error_message: '',
        api_server_version: expect.stringMatching(/^hopper-/),
        api_status_code: 200,
      });
      expect(typeof response.body.api_response.entropy).toBe('number');
    });

    it('stores the access-control parts beside the classification (for lists filtered in the database)', async () => {
      const doc = (await files.model.findById(secret.sha256).lean())!;
      const expected = app.get<AccessPartsOf>(ACCESS_PARTS_OF)('TLP:AMBER');
      expect(doc.__access_lvl__).toBeGreaterThan(app.get<AccessPartsOf>(ACCESS_PARTS_OF)('TLP:CLEAR').__access_lvl__);
      // FerretDB v1 drops empty arrays set by an upsert; an absent list matches the filter as an empty one does.
      expect({ ...doc, __access_req__: doc.__access_req__ ?? [] }).toMatchObject({ classification: 'TLP:AMBER', ...expected });
    });

    it('raises the stored access-control parts with the classification: a file seen again as TLP:AMBER is hidden from then on', async () => {
      const content = sampleContent('raised');
      const sha256 = await ingest(clear, content, { name: 'first.bin' });
      await get(clear, `/api/v4/file/info/${sha256}/`).expect(200);
      await ingest(amber, content, { name: 'again.bin', params: { classification: 'TLP:AMBER' } });
      const doc = (await files.model.findById(sha256).lean())!;
      const { __access_req__: required, ...amberParts } = app.get<AccessPartsOf>(ACCESS_PARTS_OF)('TLP:AMBER');
      expect(doc).toMatchObject({ classification: 'TLP:AMBER', ...amberParts });
      expect(doc.__access_req__ ?? []).toEqual(required);
      expectError(await get(clear, `/api/v4/file/info/${sha256}/`), 404, FILE_DOES_NOT_EXIST);
    });

    it('answers a TLP:AMBER file to a TLP:AMBER user, and 404 to a TLP:CLEAR user exactly as an unknown file', async () => {
      const seen = await get(amber, `/api/v4/file/info/${secret.sha256}/`).expect(200);
      expect(seen.body.api_response).toMatchObject({ sha256: secret.sha256, classification: 'TLP:AMBER' });
      const hidden = await get(clear, `/api/v4/file/info/${secret.sha256}/`);
      const unknown = await get(clear, `/api/v4/file/info/${'0'.repeat(64)}/`);
      expectError(hidden, 404, FILE_DOES_NOT_EXIST);
      expectError(unknown, 404, FILE_DOES_NOT_EXIST);
    });

    it('answers 404 for a malformed sha256 (as Assemblyline: no such file), and takes upper case for the same file', async () => {
      expectError(await get(clear, '/api/v4/file/info/not-a-hash/'), 404, FILE_DOES_NOT_EXIST);
      expectError(await get(clear, `/api/v4/file/info/${open.sha256.slice(1)}/`), 404, FILE_DOES_NOT_EXIST);
      const upper = await get(clear, `/api/v4/file/info/${open.sha256.toUpperCase()}/`).expect(200);
      expect(upper.body.api_response.sha256).toBe(open.sha256);
    });

    it('needs the file_detail role', async () => {
      expectError(
        await get(noRoles, `/api/v4/file/info/${open.sha256}/`),
        403,
        `User '${noRoles.uname}' does not have the 'file_detail' role required by this API`,
      );
    });
  });

  describe('download', () => {
    it('raw: the bytes, as an attachment named by `name`, with their length', async () => {
      const response = await download(clear, open.sha256, { encoding: 'raw', name: 'sample.exe' }).expect(200);
      expect(Buffer.compare(response.body as Buffer, open.content)).toBe(0);
      expect(response.headers['content-type']).toBe('application/octet-stream');
      expect(response.headers['content-disposition']).toBe('attachment; filename="sample.exe"');
      expect(response.headers['content-length']).toBe(String(open.content.length));
    });

    it('raw: named by the sha256 when no name is given, and by the base name of a path', async () => {
      const unnamed = await download(clear, open.sha256, { encoding: 'raw' }).expect(200);
      expect(unnamed.headers['content-disposition']).toBe(`attachment; filename="${open.sha256}"`);
      const pathName = await download(clear, open.sha256, { encoding: 'raw', name: '../../tmp/evil.exe' }).expect(200);
      expect(pathName.headers['content-disposition']).toBe('attachment; filename="evil.exe"');
    });

    it("cart is Assemblyline's default encoding: the CaRT decodes to the file, its header names it and carries its classification", async () => {
      const response = await download(amber, secret.sha256, { name: 'secret.exe' }).expect(200);
      expect(response.headers['content-disposition']).toBe('attachment; filename="secret.exe.cart"');
      const decoded = await decodeCart(response.body as Buffer);
      expect(Buffer.compare(decoded.content, secret.content)).toBe(0);
      expect(decoded.sha256).toBe(secret.sha256);
      expect(decoded.header).toEqual({ name: 'secret.exe', classification: 'TLP:AMBER' });
    });

    it('zip: AES-256 with the default password "infected", one entry named as the file', async () => {
      const response = await download(clear, open.sha256, { encoding: 'zip', name: 'sample.exe' }).expect(200);
      expect(response.headers['content-disposition']).toBe('attachment; filename="sample.exe.zip"');
      const archive = response.body as Buffer;
      expect(await unzip(archive, 'infected')).toEqual([{ name: 'sample.exe', encrypted: true, zipCrypto: false, content: open.content }]);
      await expect(unzip(archive, 'wrong password')).rejects.toThrow(zip.ERR_INVALID_PASSWORD);
    });

    it('zip: with the given password, and ZipCrypto on request', async () => {
      const response = await download(clear, open.sha256, { encoding: 'zip', password: 'p@ss word', zip_encryption: 'zipcrypto' }).expect(200);
      expect(await unzip(response.body as Buffer, 'p@ss word')).toEqual([
        { name: open.sha256, encrypted: true, zipCrypto: true, content: open.content },
      ]);
    });

    it("zip: an empty password is refused with Assemblyline's message", async () => {
      expectError(refused(await download(clear, open.sha256, { encoding: 'zip', password: '' })), 400, "No password given or retrieved from user's settings.");
    });

    it('refuses an unknown encoding or zip encryption with a 400 naming the valid ones', async () => {
      expectError(refused(await download(clear, open.sha256, { encoding: 'base64' })), 400, 'BASE64 is not in the valid encoding types: cart, raw, zip');
      expectError(
        refused(await download(clear, open.sha256, { encoding: 'zip', zip_encryption: 'rot13' })),
        400,
        'zip_encryption must be one of aes256, zipcrypto; got "rot13"',
      );
    });

    it('answers 404 for a file above the caller, exactly as for an unknown file, whatever the encoding', async () => {
      for (const encoding of ['raw', 'cart', 'zip']) {
        expectError(refused(await download(clear, secret.sha256, { encoding })), 404, FILE_NOT_FOUND);
        expectError(refused(await download(clear, 'f'.repeat(64), { encoding })), 404, FILE_NOT_FOUND);
      }
      // Even a bad encoding says nothing about a hidden file.
      expectError(refused(await download(clear, secret.sha256, { encoding: 'base64' })), 404, FILE_NOT_FOUND);
    });

    it('needs the file_download role (a viewer may see the file but not download it)', async () => {
      await get(viewer, `/api/v4/file/info/${open.sha256}/`).expect(200);
      expectError(
        refused(await download(viewer, open.sha256, { encoding: 'raw' })),
        403,
        `User '${viewer.uname}' does not have the 'file_download' role required by this API`,
      );
    });

    it('ignores unknown query parameters, as the Python client sends some', async () => {
      const response = await download(clear, open.sha256, { encoding: 'raw', self: '<assemblyline_client.v4_client.module.file.File object>' }).expect(200);
      expect(Buffer.compare(response.body as Buffer, open.content)).toBe(0);
    });

    describe('with a sid', () => {
      const sid = uniqueId('sid');
      const hiddenSid = uniqueId('sid');

      beforeAll(async () => {
        // A completed submission of the open file (as the ingester records it), and one the TLP:CLEAR user may not see.
        const submissions = app.get(SubmissionsRepository).model.collection;
        const base = {
          params: {},
          file_count: 1,
          state: 'completed',
          times: { submitted: new Date(), completed: new Date() },
          errors: [],
          results: [],
          expiry_ts: null,
        };
        await submissions.insertOne({
          ...base,
          _id: sid,
          sid,
          classification: 'TLP:CLEAR',
          metadata: { source: 'honeypot-7' },
          files: [{ name: 'sample.exe', sha256: open.sha256, size: open.content.length }],
        } as never);
        await submissions.insertOne({
          ...base,
          _id: hiddenSid,
          sid: hiddenSid,
          classification: 'TLP:AMBER',
          metadata: {},
          files: [{ name: 'sample.exe', sha256: open.sha256, size: open.content.length }],
        } as never);
      });

      it("adds the submission's metadata to the CaRT header", async () => {
        const response = await download(clear, open.sha256, { sid, name: 'sample.exe' }).expect(200);
        const decoded = await decodeCart(response.body as Buffer);
        expect(decoded.header).toEqual({ name: 'sample.exe', classification: 'TLP:CLEAR', source: 'honeypot-7' });
        expect(Buffer.compare(decoded.content, open.content)).toBe(0);
      });

      it("refuses a file that is not the submission's (Assemblyline's 403)", async () => {
        expectError(
          refused(await download(amber, secret.sha256, { sid })),
          403,
          `File ${secret.sha256} is not associated to submission ${sid}.`,
        );
      });

      it('answers 404 for an unknown sid and for one above the caller alike, whatever the encoding', async () => {
        for (const encoding of ['cart', 'raw', 'zip']) {
          expectError(refused(await download(clear, open.sha256, { sid: hiddenSid, encoding })), 404, `Submission ${hiddenSid} was not found in the system.`);
          expectError(refused(await download(clear, open.sha256, { sid: 'nope', encoding })), 404, 'Submission nope was not found in the system.');
        }
        // The same sid serves the user who may see it.
        await download(amber, open.sha256, { sid: hiddenSid, encoding: 'raw' }).expect(200);
      });
    });
  });

  describe('strings', () => {
    it('answers the ASCII strings, then the UTF-16LE ones, at least 6 characters long by default, as {content, truncated}', async () => {
      const response = await get(clear, `/api/v4/file/strings/${open.sha256}/`).expect(200);
      expect(response.body.api_response.truncated).toBe(false);
      const lines: string[] = response.body.api_response.content.split('\n');
      expect(lines).toContain('This program cannot be run in DOS mode.');
      expect(lines.filter((line) => line.startsWith('open-marker_'))).toHaveLength(1);
      expect(lines).not.toContain('abc');
      const wide = lines.indexOf('kernel32.dll');
      expect(wide).toBeGreaterThan(lines.indexOf('This program cannot be run in DOS mode.'));
      expect(lines.every((line) => line.length >= 6 && /^[\x20-\x7e]+$/.test(line))).toBe(true);
      expect(new Set(lines).size).toBe(lines.length);
    });

    it('takes the minimum length from `len`, and refuses a bad one', async () => {
      const response = await get(clear, `/api/v4/file/strings/${open.sha256}/?len=3`).expect(200);
      expect(response.body.api_response.content.split('\n')).toContain('abc');
      expectError(await get(clear, `/api/v4/file/strings/${open.sha256}/?len=zero`), 400, 'len must be an integer from 1 to 1024; got "zero"');
    });

    it('answers 404 for a hidden file exactly as for an unknown one, and needs file_detail', async () => {
      expectError(await get(clear, `/api/v4/file/strings/${secret.sha256}/`), 404, FILE_NOT_FOUND);
      expectError(await get(clear, `/api/v4/file/strings/${'e'.repeat(64)}/`), 404, FILE_NOT_FOUND);
      expect((await get(amber, `/api/v4/file/strings/${secret.sha256}/`).expect(200)).body.api_response.content).toContain('secret-marker_');
      await get(noRoles, `/api/v4/file/strings/${open.sha256}/`).expect(403);
    });
  });

  describe('hex', () => {
    const line = (offset: number, bytes: Buffer) =>
      `${offset.toString(16).toUpperCase().padStart(8, '0')}:  ${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(47)}   ${Array.from(bytes, (b) => (b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.')).join('')}`;

    it("dumps the file (its first MiB, as Assemblyline) in Assemblyline's format, as {content, truncated}", async () => {
      const response = await get(clear, `/api/v4/file/hex/${open.sha256}/`).expect(200);
      const lines: string[] = response.body.api_response.content.split('\n');
      expect(lines).toHaveLength(Math.ceil(open.content.length / 16));
      expect(lines[0]).toBe('00000000:  4d 5a 90 00 03 00 00 00 54 68 69 73 20 70 72 6f   MZ......This pro');
      expect(lines[255]).toBe(line(4080, open.content.subarray(4080, 4096)));
      expect(response.body.api_response.truncated).toBe(false);
    });

    it('dumps `bytes` bytes, `length` a line, or the bytes only', async () => {
      const short = await get(clear, `/api/v4/file/hex/${open.sha256}/?bytes=20`).expect(200);
      expect(short.body.api_response).toEqual({ content: [line(0, open.content.subarray(0, 16)), line(16, open.content.subarray(16, 20))].join('\n'), truncated: true });
      const narrow = await get(clear, `/api/v4/file/hex/${open.sha256}/?bytes=8&length=4`).expect(200);
      expect(narrow.body.api_response.content).toBe('00000000:  4d 5a 90 00   MZ..\n00000004:  03 00 00 00   ....');
      const bare = await get(clear, `/api/v4/file/hex/${open.sha256}/?bytes=4&bytes_only=true`).expect(200);
      expect(bare.body.api_response.content).toBe('4d 5a 90 00');
    });

    it('says the dump is whole when `bytes` covers the file', async () => {
      const response = await get(clear, `/api/v4/file/hex/${open.sha256}/?bytes=${open.content.length}`).expect(200);
      expect(response.body.api_response.content.split('\n')).toHaveLength(Math.ceil(open.content.length / 16));
      expect(response.body.api_response.truncated).toBe(false);
    });

    it('refuses `bytes` outside 1..1 MiB with a 400', async () => {
      expectError(await get(clear, `/api/v4/file/hex/${open.sha256}/?bytes=0`), 400, 'bytes must be an integer from 1 to 1048576; got "0"');
      expectError(await get(clear, `/api/v4/file/hex/${open.sha256}/?bytes=1048577`), 400, 'bytes must be an integer from 1 to 1048576; got "1048577"');
    });

    it('answers 404 for a hidden file exactly as for an unknown one', async () => {
      expectError(await get(clear, `/api/v4/file/hex/${secret.sha256}/`), 404, FILE_NOT_FOUND);
      expectError(await get(clear, `/api/v4/file/hex/${'d'.repeat(64)}/`), 404, FILE_NOT_FOUND);
      await get(amber, `/api/v4/file/hex/${secret.sha256}/`).expect(200);
    });

    it('answers 404 when the filestore lost the bytes of a recorded file', async () => {
      const lost = sampleContent('lost');
      const sha256 = await ingest(clear, lost, { name: 'lost.bin' });
      await filestore.delete(sha256);
      expectError(await get(clear, `/api/v4/file/hex/${sha256}/`), 404, 'This file was not found in the system.');
      expectError(refused(await download(clear, sha256, { encoding: 'raw' })), 404, FILE_NOT_FOUND);
    });
  });

  describe('ascii', () => {
    it('shows the file with printable ASCII, tab, line feed and carriage return as they are and any other byte a dot, as {content, truncated}', async () => {
      const response = await get(clear, `/api/v4/file/ascii/${open.sha256}/`).expect(200);
      const text = Array.from(open.content, (b) => ((b >= 0x20 && b <= 0x7e) || b === 0x09 || b === 0x0a || b === 0x0d ? String.fromCharCode(b) : '.')).join('');
      expect(response.body.api_response).toEqual({ content: text, truncated: false });
    });

    it('answers 404 for a hidden file exactly as for an unknown one, and needs file_detail', async () => {
      expectError(await get(clear, `/api/v4/file/ascii/${secret.sha256}/`), 404, FILE_NOT_FOUND);
      expectError(await get(clear, `/api/v4/file/ascii/${'c'.repeat(64)}/`), 404, FILE_NOT_FOUND);
      await get(amber, `/api/v4/file/ascii/${secret.sha256}/`).expect(200);
      await get(noRoles, `/api/v4/file/ascii/${open.sha256}/`).expect(403);
    });
  });
});

describe('file download from the S3 filestore (MinIO)', () => {
  let config: HopperConfig;
  let app: INestApplication;
  let ingester: INestApplicationContext;
  let user: TestUser;
  const content = randomBytes(3 * 1024 * 1024 + 17);
  const sha256 = sha256Of(content);

  const download = (query: Record<string, string>) =>
    request(app.getHttpServer()).get(`/api/v4/file/download/${sha256}/`).set(user.headers).query(query).buffer(true).parse(binaryBody).expect(200);

  beforeAll(async () => {
    config = isolatedConfig('files-api-s3', { filestore: { backend: 's3' }, ui: { enforce_quota: false } });
    app = await startApi(config);
    user = await addUserWithKey(app);
    ingester = await startIngester(config);
    await request(app.getHttpServer()).post('/api/v4/ingest/').set(user.headers).field('json', '{"name": "big.bin"}').attach('bin', content, 'big.bin').expect(200);
    await sightingsRecorded(app, sha256);
  });

  afterAll(async () => {
    await ingester.close();
    await app.get<Filestore>(FILESTORE).delete(sha256);
    await app.get(FilesRepository).model.db.dropDatabase();
    await app.close();
    await removeTestKeys(config);
  });

  it('streams a file of several MiB raw, as CaRT and as a zip, each decoding to the same bytes', async () => {
    expect(config.filestore.backend).toBe('s3');
    const raw = await download({ encoding: 'raw' });
    expect(sha256Of(raw.body as Buffer)).toBe(sha256);
    const cart = await decodeCart((await download({ encoding: 'cart', name: 'big.bin' })).body as Buffer);
    expect({ sha256: cart.sha256, name: cart.name }).toEqual({ sha256, name: 'big.bin' });
    const [entry] = await unzip((await download({ encoding: 'zip', name: 'big.bin' })).body as Buffer, 'infected');
    expect({ name: entry!.name, sha256: sha256Of(entry!.content) }).toEqual({ name: 'big.bin', sha256 });
  });
});
