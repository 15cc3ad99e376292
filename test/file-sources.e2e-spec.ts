import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zip from '@zip.js/zip.js';
import { LocalFilestore } from '@hopper/filestore';
import {
  FileSourceDefinition,
  FileSourceFetcher,
  FileSourceNotFoundError,
  DownloadFailedError,
  DownloadTimeoutError,
  FileTooBigError,
  HostResolver,
  ForbiddenLocationError,
  InvalidUrlError,
  PortNotAllowedError,
  ReservedAddressError,
  SafeDownloader,
  SafeDownloaderOptions,
  SchemeNotAllowedError,
  TooManyRedirectsError,
  UnreachableHostError,
  UnresolvableHostError,
} from '@hopper/file-sources';
import { closedPort } from './support/ports';
import { RouteServer } from './support/route-server';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Records log lines so tests can see what was refused (the caller never does). */
function recordingLogger() {
  const lines: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
  return {
    lines,
    info: (obj: object, msg?: string) => lines.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
    warn: (obj: object, msg?: string) => lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
  };
}

// Names the tests resolve themselves: nothing is ever looked up in the real DNS.
const FAKE_DNS: Record<string, { address: string; family: number }[]> = {
  'intranet.test': [{ address: '10.1.2.3', family: 4 }],
  'metadata.test': [{ address: '169.254.169.254', family: 4 }],
  'v6-loopback.test': [{ address: '::1', family: 6 }],
  'v6-metadata.test': [{ address: 'fd00:ec2::254', family: 6 }],
  'mixed.test': [
    { address: '93.184.216.34', family: 4 },
    { address: '192.168.0.10', family: 4 },
  ],
  'mapped.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
  'loopback.test': [{ address: '127.0.0.1', family: 4 }],
  'loopback2.test': [{ address: '127.0.0.2', family: 4 }],
};
const fakeResolver: HostResolver = async (hostname) => {
  const answer = FAKE_DNS[hostname];
  if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return answer;
};

describe('safe downloader', () => {
  const payload = Buffer.from('MZ this is not really a PE file\n'.repeat(100));
  let server: RouteServer;
  let other: RouteServer;
  let root: string;
  let filestore: LocalFilestore;

  beforeAll(async () => {
    other = await new RouteServer()
      .on('/echo-auth', (req, res) => res.end(`auth=${req.headers.authorization ?? 'none'}`))
      .start();
    server = await new RouteServer()
      .on('/file', (_req, res) => res.end(payload))
      .on('/big-declared', (_req, res) => res.writeHead(200, { 'content-length': 2_000_000 }).end(Buffer.alloc(2_000_000)))
      .on('/big-chunked', (_req, res) => {
        // No content-length: the limit has to stop the stream itself.
        for (let i = 0; i < 40; i++) res.write(Buffer.alloc(64 * 1024, i));
        res.end();
      })
      .on('/stall', (_req, res) => {
        res.writeHead(200);
        res.write('partial');
      })
      .on('/missing', (_req, res) => res.writeHead(404).end('no'))
      .on('/redirect', (req, res) => {
        const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to') ?? '/file';
        res.writeHead(302, { location: to }).end();
      })
      .on('/chain', (req, res) => {
        const left = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n'));
        res.writeHead(301, { location: left > 0 ? `/chain?n=${left - 1}` : '/file' }).end();
      })
      .start();
    root = mkdtempSync(join(tmpdir(), 'hopper-file-sources-'));
    filestore = new LocalFilestore(root);
  });

  afterAll(async () => {
    await server.stop();
    await other.stop();
  });

  function downloader(overrides: Partial<SafeDownloaderOptions> = {}, logger = recordingLogger()) {
    const options: SafeDownloaderOptions = {
      maxBytes: 1_000_000,
      connectTimeoutMs: 2_000,
      totalTimeoutMs: 5_000,
      allowedPorts: [80, 443, server.port, other.port],
      allowNetworks: [],
      ...overrides,
    };
    return { downloader: new SafeDownloader(options, { filestore, logger, resolver: fakeResolver }), logger };
  }
  const testAllowlist = { allowNetworks: ['127.0.0.1/32'] };

  describe('refuses (production policy: empty allowlist)', () => {
    // [url, what it is]; each is refused before any connection, with a message naming the rule: a reserved
    // address (the host as the URL names it), a name that does not resolve, a port that is not allowed.
    const refused: [string, string][] = [
      ['http://127.0.0.1/', 'IPv4 loopback'],
      ['http://127.1.2.3/', 'IPv4 loopback, not .1'],
      ['http://localhost/', 'loopback by name (unresolvable in the test DNS)'],
      ['http://loopback.test/', 'name resolving to loopback'],
      ['http://10.0.0.1/', 'RFC 1918 10/8'],
      ['http://172.16.5.4/', 'RFC 1918 172.16/12'],
      ['http://192.168.1.1/', 'RFC 1918 192.168/16'],
      ['http://169.254.169.254/latest/meta-data/', 'cloud metadata (link-local)'],
      ['http://metadata.test/computeMetadata/v1/', 'name resolving to the metadata address'],
      ['http://100.64.0.1/', 'CGNAT'],
      ['http://224.0.0.1/', 'multicast'],
      ['http://0.0.0.0/', 'unspecified'],
      ['http://255.255.255.255/', 'broadcast'],
      ['http://240.0.0.1/', 'reserved'],
      ['http://192.0.2.10/', 'documentation (reserved)'],
      ['http://2130706433/', 'decimal spelling of 127.0.0.1'],
      ['http://0x7f000001/', 'hex spelling of 127.0.0.1'],
      ['http://0177.0.0.1/', 'octal spelling of 127.0.0.1'],
      ['http://0x7f.1/', 'short hex spelling of 127.0.0.1'],
      ['http://0xa9fea9fe/', 'hex spelling of 169.254.169.254'],
      ['http://012.0.0.1/', 'octal spelling of 10.0.0.1'],
      ['http://[::1]/', 'IPv6 loopback'],
      ['http://[::]/', 'IPv6 unspecified'],
      ['http://[fc00::1]/', 'IPv6 unique local (RFC 4193)'],
      ['http://[fd00:ec2::254]/', 'AWS IPv6 metadata'],
      ['http://[fe80::1]/', 'IPv6 link-local'],
      ['http://[ff02::1]/', 'IPv6 multicast'],
      ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped loopback'],
      ['http://[::ffff:a9fe:a9fe]/', 'IPv4-mapped metadata, hex form'],
      ['http://[::ffff:10.0.0.1]/', 'IPv4-mapped private'],
      ['http://[64:ff9b::7f00:1]/', 'NAT64 of loopback'],
      ['http://[2002:7f00:1::]/', '6to4 of loopback'],
      ['http://intranet.test/', 'name resolving to a private address (injected resolver)'],
      ['http://v6-loopback.test/', 'name resolving to ::1'],
      ['http://v6-metadata.test/', 'name resolving to the IPv6 metadata address'],
      ['http://mixed.test/', 'name with one public and one private address'],
      ['http://mapped.test/', 'name resolving to an IPv4-mapped loopback'],
      ['http://nowhere.test/', 'name that does not resolve'],
      ['http://93.184.216.34:6379/', 'public address, port not allowed'],
    ];

    const UNRESOLVABLE = new Set(['http://localhost/', 'http://nowhere.test/']);
    const expectedRefusal = (url: string): [new (...args: never[]) => ForbiddenLocationError, string] => {
      if (url === 'http://93.184.216.34:6379/') {
        return [PortNotAllowedError, `Port 6379 is not allowed for URL downloads (allowed: 80, 443, ${server.port}, ${other.port}). The URL will not be downloaded.`];
      }
      if (UNRESOLVABLE.has(url)) return [UnresolvableHostError, 'Hostname in this URL cannot be resolved.'];
      const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
      return [ReservedAddressError, `Host '${host}' resolves to a reserved IP address. The URL will not be downloaded.`];
    };

    it.each(refused)('%s (%s)', async (url) => {
      const { downloader: safe, logger } = downloader();
      const error = await safe.download(url).catch((e: unknown) => e);
      const [kind, message] = expectedRefusal(url);
      expect(error).toBeInstanceOf(kind);
      expect((error as ForbiddenLocationError).message).toBe(message);
      expect((error as ForbiddenLocationError).status).toBe(400);
      expect(logger.lines.some((line) => line.level === 'warn')).toBe(true);
    });

    it('logs the refused address but does not return it', async () => {
      const { downloader: safe, logger } = downloader();
      const error = (await safe.download('http://intranet.test/x').catch((e: unknown) => e)) as Error;
      expect(error.message).not.toContain('10.1.2.3');
      expect(JSON.stringify(error)).not.toContain('10.1.2.3');
      expect(logger.lines).toContainEqual(expect.objectContaining({ obj: expect.objectContaining({ address: '10.1.2.3' }) }));
    });

    it.each(['http://', 'no url at all', 'http://1.2.3.4.5/'])('calls %s invalid, in Assemblyline\'s words', async (url) => {
      const error = await downloader().downloader.download(url).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidUrlError);
      expect((error as Error).message).toBe('Url provided is invalid.');
    });

    it.each([
      ['ftp://127.0.0.1/', 'ftp'],
      ['file:///etc/passwd', 'file'],
      ['javascript:alert(1)', 'javascript'],
    ])('refuses %s naming its scheme', async (url, scheme) => {
      const error = await downloader().downloader.download(url).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SchemeNotAllowedError);
      expect((error as Error).message).toBe(`URL scheme '${scheme}' is not allowed (http and https only). The URL will not be downloaded.`);
    });

    it('refuses the test server itself without the allowlist', async () => {
      await expect(downloader().downloader.download(server.url('/file'))).rejects.toBeInstanceOf(ReservedAddressError);
      expect(server.requests).toHaveLength(0);
    });

    it.each([
      ['http://127.0.0.2/', 'another loopback address'],
      ['http://169.254.169.254/latest/meta-data/', 'the metadata address'],
      ['http://[::1]/', 'IPv6 loopback'],
      ['http://0x7f000002/', 'hex spelling of 127.0.0.2'],
      ['http://loopback2.test/', 'a name resolving to 127.0.0.2'],
    ])('re-checks a redirect from the allowed test server to %s (%s)', async (target) => {
      const { downloader: safe, logger } = downloader(testAllowlist);
      const before = server.requests.length;
      await expect(safe.download(server.url(`/redirect?to=${encodeURIComponent(target)}`))).rejects.toBeInstanceOf(
        ReservedAddressError,
      );
      expect(server.requests.length).toBe(before + 1);
      expect(logger.lines.some((line) => line.msg?.startsWith('download refused'))).toBe(true);
    });

    it('refuses a redirect to a port that is not allowed', async () => {
      const { downloader: safe } = downloader({ ...testAllowlist, allowedPorts: [server.port] });
      await expect(
        safe.download(server.url(`/redirect?to=${encodeURIComponent(`http://127.0.0.1:${other.port}/echo-auth`)}`)),
      ).rejects.toThrow(new PortNotAllowedError(other.port, [server.port]));
    });
  });

  describe('through the test allowlist', () => {
    it('downloads, hashes in one pass and commits under the sha256', async () => {
      const file = await downloader(testAllowlist).downloader.download(server.url('/file'));
      expect(file).toMatchObject({
        sha256: sha256(payload),
        md5: createHash('md5').update(payload).digest('hex'),
        sha1: createHash('sha1').update(payload).digest('hex'),
        size: payload.length,
      });
      const stored = await filestore.get(file.sha256);
      const chunks: Buffer[] = [];
      for await (const chunk of stored) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(payload)).toBe(true);
    });

    it.each([
      [() => `http://loopback.test:${server.port}/file`, 'a name resolved by the injected resolver'],
      [() => `http://2130706433:${server.port}/file`, 'the decimal spelling of 127.0.0.1'],
      [() => server.url('/redirect?to=/file'), 'one redirect'],
      [() => server.url('/chain?n=4'), 'exactly five redirects'],
    ])('fetches %s (%s)', async (url) => {
      const file = await downloader(testAllowlist).downloader.download(url());
      expect(file.sha256).toBe(sha256(payload));
    });

    it('stops after five redirects, saying so', async () => {
      const error = await downloader(testAllowlist).downloader.download(server.url('/chain?n=5')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TooManyRedirectsError);
      expect(error).toBeInstanceOf(InvalidUrlError);
      expect((error as Error).message).toBe('Too many redirects (more than 5). The URL will not be downloaded.');
    });

    it('says a connection was refused, naming the host', async () => {
      const closed = await closedPort();
      const { downloader: safe } = downloader({ ...testAllowlist, allowedPorts: [closed] });
      const error = await safe.download(`http://loopback.test:${closed}/file`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreachableHostError);
      expect((error as Error).message).toBe("Host 'loopback.test' could not be reached (connection refused). The URL will not be downloaded.");
    });

    it('connects to the address it checked, sending the name as Host', async () => {
      await downloader(testAllowlist).downloader.download(`http://loopback.test:${server.port}/file`);
      expect(server.requests.at(-1)?.headers.host).toBe(`loopback.test:${server.port}`);
    });

    it('drops credentials when a redirect changes origin', async () => {
      const { downloader: safe } = downloader(testAllowlist);
      const target = encodeURIComponent(`http://127.0.0.1:${other.port}/echo-auth`);
      await safe.download(server.url(`/redirect?to=${target}`), { headers: { Authorization: 'Bearer secret' } });
      expect(other.requests.at(-1)?.headers.authorization).toBeUndefined();
      expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer secret');
    });

    it('refuses a declared size above the limit, and stops reading past it when none is declared', async () => {
      for (const path of ['/big-declared', '/big-chunked']) {
        const error = await downloader(testAllowlist).downloader.download(server.url(path)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(FileTooBigError);
        expect((error as Error).message).toBe('File too big to be scanned.');
        expect((error as FileTooBigError).status).toBe(400);
      }
      // Nothing half-written is left behind.
      expect(readdirSync(join(root, '.staging'))).toEqual([]);
    });

    it('gives up at the total timeout', async () => {
      const error = await downloader({ ...testAllowlist, totalTimeoutMs: 300 })
        .downloader.download(server.url('/stall'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DownloadTimeoutError);
      expect((error as Error).message).toBe('The URL download did not finish within 0.3 seconds.');
      expect(readdirSync(join(root, '.staging'))).toEqual([]);
    });

    it('gives up at a lower limit set for one download (never a higher one)', async () => {
      // The configured limit is far beyond the test timeout: only the request's own limit can end this.
      const { downloader: slowLimit } = downloader({ ...testAllowlist, totalTimeoutMs: 10 * 60_000 });
      const error = await slowLimit.download(server.url('/stall'), { totalTimeoutMs: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DownloadTimeoutError);
    });

    it('reports an HTTP error status as a failed download', async () => {
      const error = await downloader(testAllowlist).downloader.download(server.url('/missing')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DownloadFailedError);
      expect((error as DownloadFailedError).httpStatus).toBe(404);
    });
  });
});

const LEVELS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:RED'];
const classification = {
  max: (a: string, b: string) => (LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b),
  isAccessible: (user: string, item: string) => LEVELS.indexOf(user) >= LEVELS.indexOf(item),
};

async function buildZip(files: Record<string, Buffer>, password: string, zipCrypto: boolean): Promise<Buffer> {
  zip.configure({ useWebWorkers: false });
  const writer = new zip.ZipWriter(new zip.Uint8ArrayWriter(), { password, zipCrypto });
  for (const [name, content] of Object.entries(files)) await writer.add(name, new zip.Uint8ArrayReader(content));
  return Buffer.from(await writer.close());
}

describe('file sources', () => {
  const sample = Buffer.from('sample one: suspicious bytes\n'.repeat(50));
  const inner = Buffer.from('the file inside the zip\n'.repeat(40));
  const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');
  let server: RouteServer;
  let filestore: LocalFilestore;
  let zips: Record<string, Buffer>;
  const byHash = new Map<string, Buffer>();

  beforeAll(async () => {
    zips = {
      aes: await buildZip({ 'dropper.exe': inner }, 'infected', false),
      zipcrypto: await buildZip({ 'dir/payload.bin': inner }, 'infected', true),
      two: await buildZip({ 'a.bin': inner, 'b.bin': sample }, 'infected', false),
    };
    byHash.set(sha256(sample), sample);
    byHash.set(md5(sample), sample);
    server = await new RouteServer()
      .on('/get', (req, res) => {
        const hash = new URL(req.url ?? '/', 'http://x').searchParams.get('h') ?? '';
        const found = byHash.get(hash);
        if (found) res.end(found);
        else res.writeHead(404).end('unknown');
      })
      .on('/post', (_req, res, body) => {
        const found = byHash.get((JSON.parse(body) as { hash: string }).hash);
        if (found) res.end(found);
        else res.writeHead(404).end();
      })
      .on('/soft-404', (_req, res) => res.end('<html><body>Sample not found</body></html>'))
      .on('/error', (_req, res) => res.writeHead(500).end('boom'))
      .on('/other', (_req, res) => res.end('a different file than asked for'))
      .on('/zip', (req, res) => res.end(zips[new URL(req.url ?? '/', 'http://x').searchParams.get('k') ?? '']))
      .on('/big', (_req, res) => res.end(Buffer.alloc(300_000)))
      .on('/stall', (_req, res) => {
        res.writeHead(200);
        res.write('partial');
      })
      .start();
    filestore = new LocalFilestore(mkdtempSync(join(tmpdir(), 'hopper-file-sources-')));
  });

  afterAll(() => server.stop());

  function fetcher(options: { allowUrlSubmissions?: boolean; totalTimeoutMs?: number } = {}) {
    const logger = recordingLogger();
    const downloader = new SafeDownloader(
      {
        maxBytes: 200_000,
        connectTimeoutMs: 2_000,
        totalTimeoutMs: options.totalTimeoutMs ?? 5_000,
        allowedPorts: [server.port],
        allowNetworks: ['127.0.0.1/32'],
      },
      { filestore, logger, resolver: fakeResolver },
    );
    const instance = new FileSourceFetcher({
      downloader,
      filestore,
      classification,
      logger,
      allowUrlSubmissions: options.allowUrlSubmissions ?? true,
      maxFileSize: 200_000,
    });
    return { instance, logger };
  }
  const src = (name: string, path: string, extra: Partial<FileSourceDefinition> = {}): FileSourceDefinition => ({
    name,
    url: server.url(path),
    ...extra,
  });
  const base = { userClassification: 'TLP:RED', classification: 'TLP:CLEAR' };

  it('expands the template in the url and fetches the file', async () => {
    const result = await fetcher().instance.fetch({ ...base, input: sha256(sample), sources: [src('repo', '/get?h={INPUT}')] });
    expect(result).toMatchObject({ source: 'repo', kind: 'file', sha256: sha256(sample), size: sample.length, name: sha256(sample) });
    expect(await filestore.exists(sha256(sample))).toBe(true);
  });

  it('expands a custom replace_pattern in the data of a POST', async () => {
    const source = src('post', '/post', { method: 'POST', data: '{"hash": "$H"}', replace_pattern: '$H', headers: { 'X-Token': 't' } });
    const result = await fetcher().instance.fetch({ ...base, input: sha256(sample), sources: [source] });
    expect(result.sha256).toBe(sha256(sample));
    const last = server.requests.at(-1);
    expect(last).toMatchObject({ method: 'POST', body: `{"hash": "${sha256(sample)}"}` });
    expect(last?.headers['x-token']).toBe('t');
  });

  it('uses a source only for inputs its hash types or patterns take', async () => {
    const before = server.requests.length;
    const error = await fetcher().instance
      .fetch({ ...base, input: md5(sample), sources: [src('sha256-only', '/get?h={INPUT}')] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileSourceNotFoundError);
    expect((error as FileSourceNotFoundError).status).toBe(404);
    expect(server.requests.length).toBe(before);
    const result = await fetcher().instance.fetch({
      ...base,
      input: md5(sample),
      sources: [src('md5', '/get?h={INPUT}', { hash_types: ['md5', 'sha256'] })],
    });
    expect(result).toMatchObject({ sha256: sha256(sample), name: md5(sample) });
    const ticket = await fetcher().instance.fetch({
      ...base,
      input: 'INC-4242',
      sources: [src('tickets', '/other?t={INPUT}', { hash_patterns: { ticket: '^INC-[0-9]+$' } })],
    });
    expect(ticket).toMatchObject({ name: 'INC-4242', sha256: sha256('a different file than asked for') });
  });

  it('tries sources in order: errors and failure patterns are misses, the first match wins', async () => {
    const { instance, logger } = fetcher();
    const before = server.requests.length;
    const result = await instance.fetch({
      ...base,
      input: sha256(sample),
      sources: [
        src('broken', '/error'),
        { name: 'forbidden', url: 'http://169.254.169.254/latest/{INPUT}' },
        src('soft404', '/soft-404?h={INPUT}', { failure_pattern: 'not found' }),
        src('good', '/get?h={INPUT}'),
        src('never-asked', '/other'),
      ],
    });
    expect(result.source).toBe('good');
    expect(server.requests.slice(before).map((r) => r.url.split('?')[0])).toEqual(['/error', '/soft-404', '/get']);
    expect(logger.lines.filter((l) => l.obj.source === 'forbidden' || l.obj.source === 'broken').length).toBeGreaterThan(0);
    // The failure page was not kept.
    expect(await filestore.exists(sha256('<html><body>Sample not found</body></html>'))).toBe(false);
  });

  it('answers 404 naming the sources tried when none resolves', async () => {
    const error = (await fetcher().instance
      .fetch({ ...base, input: sha256('nothing'), sources: [src('one', '/get?h={INPUT}'), src('two', '/soft-404', { failure_pattern: 'not found' })] })
      .catch((e: unknown) => e)) as FileSourceNotFoundError;
    expect(error).toBeInstanceOf(FileSourceNotFoundError);
    expect(error.status).toBe(404);
    expect(error.sourcesTried).toEqual(['one', 'two']);
    expect(error.message).toContain('one, two');
  });

  it.each([
    ['aes', 'dropper.exe'],
    ['zipcrypto', 'payload.bin'],
  ])('extracts the single file of a passworded zip (%s)', async (kind, name) => {
    const result = await fetcher().instance.fetch({
      ...base,
      input: 'Z-1',
      sources: [src('zips', `/zip?k=${kind}`, { hash_patterns: { id: '^Z-[0-9]+$' }, password: 'infected' })],
    });
    expect(result).toMatchObject({ sha256: sha256(inner), size: inner.length, extractedFromZip: true, name });
    expect(await filestore.exists(sha256(inner))).toBe(true);
  });

  it('keeps a zip with two files, or with the wrong password, for the Extract service', async () => {
    for (const [kind, password] of [['two', 'infected'], ['aes', 'wrong']]) {
      const result = await fetcher().instance.fetch({
        ...base,
        input: 'Z-2',
        sources: [src('zips', `/zip?k=${kind}`, { hash_patterns: { id: '^Z-[0-9]+$' }, password })],
      });
      expect(result).toMatchObject({ sha256: sha256(zips[kind]), extractedFromZip: false });
    }
  });

  it('treats a file above the size limit and a stalled download as errors and moves on', async () => {
    const { instance, logger } = fetcher({ totalTimeoutMs: 300 });
    const result = await instance.fetch({
      ...base,
      input: sha256(sample),
      sources: [src('big', '/big?h={INPUT}'), src('stall', '/stall'), src('good', '/get?h={INPUT}')],
    });
    expect(result.source).toBe('good');
    const failures = logger.lines.filter((l) => l.msg === 'file source failed, trying the next').map((l) => [l.obj.source, l.obj.err]);
    expect(failures).toEqual([
      ['big', 'File too big to be scanned.'],
      ['stall', 'The URL download did not finish within 0.3 seconds.'],
    ]);
  });

  it('raises the classification, merges metadata and adds the selected services', async () => {
    const result = await fetcher().instance.fetch({
      ...base,
      input: sha256(sample),
      metadata: { case: '42', team: 'blue' },
      selectedServices: ['Antivirus'],
      sources: [
        src('amber', '/get?h={INPUT}', {
          classification: 'TLP:AMBER',
          metadata: { team: 'intel', feed: 'partner' },
          select_services: ['Extract', 'Antivirus'],
        }),
      ],
    });
    expect(result.classification).toBe('TLP:AMBER');
    expect(result.metadata).toEqual({ case: '42', team: 'intel', feed: 'partner' });
    expect(result.selectedServices).toEqual(['Antivirus', 'Extract']);
  });

  it('records original_source when the source has no metadata, and never lowers the classification', async () => {
    const result = await fetcher().instance.fetch({
      ...base,
      classification: 'TLP:RED',
      input: sha256(sample),
      metadata: { case: '7' },
      sources: [src('green', '/get?h={INPUT}', { classification: 'TLP:GREEN' })],
    });
    expect(result.metadata).toEqual({ case: '7', original_source: 'green' });
    expect(result.classification).toBe('TLP:RED');
  });

  it('skips sources the user may not use', async () => {
    const error = (await fetcher().instance
      .fetch({ ...base, userClassification: 'TLP:GREEN', input: sha256(sample), sources: [src('red', '/get?h={INPUT}', { classification: 'TLP:RED' })] })
      .catch((e: unknown) => e)) as FileSourceNotFoundError;
    expect(error).toBeInstanceOf(FileSourceNotFoundError);
    expect(error.sourcesTried).toEqual([]);
  });

  it('names the file after its real hash when the source answers with another file', async () => {
    const asked = sha256('what the user asked for');
    const result = await fetcher().instance.fetch({ ...base, input: asked, sources: [src('liar', '/other?h={INPUT}')] });
    const real = sha256('a different file than asked for');
    expect(result).toMatchObject({ sha256: real, name: real });
  });

  it('creates a URI file instead of downloading when download_from_url is false', async () => {
    const before = server.requests.length;
    const source = src('deferred', '/get?h={INPUT}', { download_from_url: false, headers: { 'X-Api': 'k' } });
    const result = await fetcher().instance.fetch({ ...base, input: sha256(sample), sources: [source] });
    expect(result.kind).toBe('uri');
    expect(server.requests.length).toBe(before);
    const chunks: Buffer[] = [];
    for await (const chunk of await filestore.get(result.sha256)) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    expect(text).toContain('# Assemblyline URI file');
    expect(text).toContain(`uri: ${server.url(`/get?h=${sha256(sample)}`)}`);
    await expect(
      fetcher({ allowUrlSubmissions: false }).instance.fetch({ ...base, input: sha256(sample), sources: [source] }),
    ).rejects.toBeInstanceOf(FileSourceNotFoundError);
  });
});
