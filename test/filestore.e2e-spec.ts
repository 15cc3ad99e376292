import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Client } from 'minio';
import {
  BlobNotFoundError,
  Filestore,
  FilestoreUnavailableError,
  InvalidBlobKeyError,
  isAbandoned,
  LocalFilestore,
  S3Filestore,
  stagingName,
  THIS_PROCESS,
} from '@hopper/filestore';
import { stageMeasured } from '@hopper/identify';
import { serviceEnv, uniqueId } from './support/test-env';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The pid of a process that ran and exited: what a staged file of a killed request names. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

const HOUR_MS = 3_600_000;
/** The sweep StagingSweeper runs: abandoned = a dead process's, or untouched for an hour. */
const abandoned = (entry: { name: string; modifiedAt: number }) => isAbandoned(entry, Date.now(), HOUR_MS);

/** A stream that yields `good` bytes and then fails, like an upload cut off mid-way. */
function failingStream(good: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(good);
      } else {
        this.destroy(new Error('connection reset'));
      }
    },
  });
}

const localRoot = mkdtempSync(join(tmpdir(), 'hopper-filestore-'));
const s3Options = () => {
  const env = serviceEnv();
  return {
    endpoint: env.HOPPER_S3_ENDPOINT!,
    accessKey: env.HOPPER_S3_ACCESS_KEY!,
    secretKey: env.HOPPER_S3_SECRET_KEY!,
    bucket: uniqueId('filestore').replace(/_/g, '-'),
  };
};

describe.each([
  ['local directory', () => new LocalFilestore(localRoot)],
  ['S3 on MinIO', () => new S3Filestore(s3Options())],
])('filestore on %s', (_name, make: () => Filestore) => {
  let store: Filestore;
  beforeAll(() => {
    store = make();
  });

  it('answers a ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('puts, stats, gets and deletes a blob by sha256', async () => {
    const data = Buffer.from(`hello ${uniqueId('blob')}`);
    const key = sha256(data);
    expect(await store.exists(key)).toBe(false);
    await store.put(key, Readable.from([data]));
    expect(await store.exists(key)).toBe(true);
    expect(await store.stat(key)).toEqual({ size: data.length });
    expect(await readAll(await store.get(key))).toEqual(data);
    await store.delete(key);
    expect(await store.exists(key)).toBe(false);
    expect(await store.stat(key)).toBeNull();
  });

  it('reads only the head of a blob: the first bytes asked for, or all of a shorter one', async () => {
    const data = Buffer.alloc(100_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
    data.write(uniqueId('head'));
    const key = sha256(data);
    await store.put(key, Readable.from([data]));
    expect(await store.readHead(key, 65_536)).toEqual(data.subarray(0, 65_536));
    expect(await store.readHead(key, 200_000)).toEqual(data);
    await store.delete(key);
    await expect(store.readHead(key, 16)).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('streams a multi-part blob through intact', async () => {
    // 20 MiB in 1 MiB chunks: more than one S3 upload part, never one buffer.
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const hash = createHash('sha256');
    const chunks = Array.from({ length: 20 }, (_, i) => {
      const c = Buffer.from(chunk);
      c.writeUInt32BE(i, 0);
      hash.update(c);
      return c;
    });
    const key = hash.digest('hex');
    const staged = await store.stage(Readable.from(chunks));
    expect(staged.size).toBe(20 * chunk.length);
    await staged.commit(key);
    const back = createHash('sha256');
    for await (const part of await store.get(key)) back.update(part as Buffer);
    expect(back.digest('hex')).toBe(key);
    await store.delete(key);
  });

  it('makes a staged blob visible only on commit, under the name given then', async () => {
    const data = Buffer.from(`staged ${uniqueId('blob')}`);
    const key = sha256(data);
    const staged = await store.stage(Readable.from([data]));
    expect(staged.size).toBe(data.length);
    expect(await store.exists(key)).toBe(false);
    expect(await readAll(await staged.open())).toEqual(data);
    await staged.commit(key);
    expect(await readAll(await store.get(key))).toEqual(data);
    await store.delete(key);
  });

  it('commits a second copy of existing content without error', async () => {
    const data = Buffer.from(`twice ${uniqueId('blob')}`);
    const key = sha256(data);
    await store.put(key, Readable.from([data]));
    await store.put(key, Readable.from([data]));
    expect(await readAll(await store.get(key))).toEqual(data);
    await store.delete(key);
  });

  it('drops a discarded staged blob', async () => {
    const data = Buffer.from(`discarded ${uniqueId('blob')}`);
    const staged = await store.stage(Readable.from([data]));
    await staged.discard();
    await expect(staged.commit(sha256(data))).rejects.toThrow();
    expect(await store.exists(sha256(data))).toBe(false);
  });

  it('leaves no blob behind when the upload stream fails mid-way', async () => {
    const good = Buffer.from(`partial ${uniqueId('blob')}`);
    await expect(store.put(sha256(good), failingStream(good))).rejects.toThrow('connection reset');
    expect(await store.exists(sha256(good))).toBe(false);
  });

  it('raises BlobNotFoundError for a missing blob and accepts deleting one', async () => {
    const key = sha256(Buffer.from(uniqueId('absent')));
    await expect(store.get(key)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.delete(key)).resolves.toBeUndefined();
  });

  it('refuses keys that could escape the store', async () => {
    for (const key of ['../../etc/passwd', 'a/b/c/d', '', '..']) {
      await expect(store.put(key, Readable.from([Buffer.from('x')]))).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.exists(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    }
  });
});

describe('local filestore staging', () => {
  it('cleans its staging area after failed uploads', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hopper-staging-'));
    const store = new LocalFilestore(root);
    await expect(store.put(sha256(Buffer.from('x')), failingStream(Buffer.from('x')))).rejects.toThrow();
    expect(readdirSync(join(root, '.staging'))).toEqual([]);
  });

  it('closes the staging file of every upload, failed or stored (no descriptor left open)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hopper-staging-'));
    const store = new LocalFilestore(root);
    const targetOf = (fd: string) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return ''; // closed since the directory was read
      }
    };
    const openHere = () => readdirSync('/proc/self/fd').map(targetOf).filter((target) => target.startsWith(root));
    for (let i = 0; i < 20; i++) {
      const data = Buffer.from(`upload ${i} ${uniqueId('fd')}`);
      if (i % 2) await expect(store.put(sha256(data), failingStream(data))).rejects.toThrow('connection reset');
      else await store.put(sha256(data), Readable.from([data]));
    }
    expect(openHere()).toEqual([]);
    expect(readdirSync(join(root, '.staging'))).toEqual([]);
  });

  it('sweeps the staged files of dead processes of this host and those untouched for the maximum age, and keeps live uploads', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hopper-staging-'));
    const store = new LocalFilestore(root);
    const dir = join(root, '.staging');
    const live = await store.stage(Readable.from([Buffer.from('a live upload')]));
    const [liveName] = readdirSync(dir);
    writeFileSync(join(dir, stagingName({ ...THIS_PROCESS, pid: await exitedPid() })), 'partial upload of a killed request');
    const otherHost = stagingName({ ...THIS_PROCESS, host: 'f'.repeat(12) });
    writeFileSync(join(dir, otherHost), 'another host\'s upload, in progress');
    const stale = join(dir, stagingName({ ...THIS_PROCESS, host: 'e'.repeat(12) }));
    writeFileSync(stale, 'another host\'s upload, untouched for two hours');
    const twoHoursAgo = new Date(Date.now() - 2 * HOUR_MS);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);

    expect(await store.sweepStaging(abandoned)).toBe(2);
    expect(readdirSync(dir).sort()).toEqual([liveName, otherHost].sort());
    await live.commit(sha256(Buffer.from('a live upload')));
    expect((await readAll(await store.get(sha256(Buffer.from('a live upload'))))).toString()).toBe('a live upload');
  });
});

describe('S3 filestore staging', () => {
  it('leaves no staging object after commit, discard or a failed upload', async () => {
    const options = s3Options();
    const store = new S3Filestore(options);
    const a = Buffer.from(uniqueId('a'));
    await (await store.stage(Readable.from([a]))).commit(sha256(a));
    await (await store.stage(Readable.from([Buffer.from('b')]))).discard();
    await expect(store.put(sha256(Buffer.from('c')), failingStream(Buffer.from('c')))).rejects.toThrow();

    const url = new URL(options.endpoint);
    const client = new Client({
      endPoint: url.hostname,
      port: Number(url.port),
      useSSL: false,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
    });
    const names: string[] = [];
    for await (const item of client.listObjectsV2(options.bucket, '', true)) names.push((item as { name: string }).name);
    expect(names).toEqual([sha256(a)]);
  });

  /** An S3 endpoint on a loopback port whose answers `answer` makes; closed after `use`. */
  async function withFakeS3(answer: (request: IncomingMessage, response: ServerResponse) => void, use: (store: S3Filestore) => Promise<void>) {
    const server = createServer(answer);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await use(new S3Filestore({ ...s3Options(), endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }
  const failureOf = (work: Promise<unknown>) => work.then(() => null, (error: unknown) => error);
  /** 24 MiB, past one 8 MiB part: the input is still being read when the store fails. */
  const largeBody = () =>
    Readable.from(
      (function* () {
        for (let i = 0; i < 24; i++) yield Buffer.alloc(1024 * 1024, i);
      })(),
    );

  it('fails a staging as an outage when the S3 server drops the connection mid-upload', async () => {
    // The bucket exists, then every other request's connection is reset.
    await withFakeS3(
      (request, response) => (request.method === 'HEAD' ? response.writeHead(200).end() : request.socket.destroy()),
      async (store) => {
        expect(await failureOf(store.stage(largeBody()))).toBeInstanceOf(FilestoreUnavailableError);
        expect(await failureOf(stageMeasured(largeBody(), store))).toBeInstanceOf(FilestoreUnavailableError);
      },
    );
  });

  it("reports the store's own refusal from stageMeasured, not the premature close it caused in the upload's flow", async () => {
    // An S3 that denies access: no outage (waiting mends nothing), and no fault of the upload either (a 400 would say so).
    await withFakeS3(
      (_request, response) => response.writeHead(403).end(),
      async (store) => {
        const failure = await failureOf(stageMeasured(largeBody(), store));
        expect(failure).toMatchObject({ code: 'AccessDenied' });
        expect(failure).not.toBeInstanceOf(FilestoreUnavailableError);
      },
    );
  });

  it('sweeps the staged objects and unfinished multipart uploads of dead processes of this host, and keeps live ones', async () => {
    const options = s3Options();
    const store = new S3Filestore(options);
    const url = new URL(options.endpoint);
    const client = new Client({ endPoint: url.hostname, port: Number(url.port), useSSL: false, accessKey: options.accessKey, secretKey: options.secretKey });
    const live = await store.stage(Readable.from([Buffer.from('a live upload')]));
    const dead = { ...THIS_PROCESS, pid: await exitedPid() };
    await client.putObject(options.bucket, `.staging/${stagingName(dead)}`, Buffer.from('partial'));
    // What a process killed in the middle of a multipart upload leaves: an upload never completed.
    await client.initiateNewMultipartUpload(options.bucket, `.staging/${stagingName(dead)}`, {});

    expect(await store.sweepStaging(abandoned)).toBe(2);
    const names: string[] = [];
    for await (const item of client.listObjectsV2(options.bucket, '.staging/', true)) names.push((item as { name: string }).name);
    expect(names).toHaveLength(1);
    expect((await client.listIncompleteUploadsQuery(options.bucket, '', '', '', '')).uploads).toEqual([]);
    await live.discard();
  });
});
