import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request, Server } from 'node:http';
import { createServer as createHttpsServer, Server as HttpsServer } from 'node:https';
import { AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalFilestore } from '@hopper/filestore';
import { FileSourceFetcher, HostResolver, ReservedAddressError, SafeDownloader, UnreachableHostError } from '@hopper/file-sources';

const payload = Buffer.from('proxied sample\n'.repeat(50));
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const quietLogger = { info: () => undefined, warn: (o: object, m?: string) => process.env.DEBUG_PROXY && console.log(m, o) };
const resolver: HostResolver = async (hostname) => {
  const names: Record<string, string> = { 'files.test': '127.0.0.1', 'intranet.test': '10.1.2.3' };
  if (!names[hostname]) throw new Error(`ENOTFOUND ${hostname}`);
  return [{ address: names[hostname], family: 4 }];
};
const listen = async <T extends Server | HttpsServer>(server: T): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

/**
 * A forward proxy on 127.0.0.1 that records what it was asked for: absolute-form requests for http and
 * CONNECT tunnels for https. The downloader must only ever ask it for checked addresses.
 */
function recordingProxy() {
  const asked: string[] = [];
  // Tunnelled sockets leave the http server's books, so they are tracked to be closed at the end.
  const tunnels = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url} host=${req.headers.host}`);
    const target = new URL(req.url!);
    const upstream = request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  server.on('connect', (req, clientSocket, head) => {
    asked.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(':');
    tunnels.add(clientSocket as import('node:net').Socket);
    const upstream = connect(Number(port), host, () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    tunnels.add(upstream);
    clientSocket.on('error', () => upstream.destroy());
    upstream.on('error', () => clientSocket.destroy());
  });
  return { server, asked, tunnels };
}

describe('safe downloader: proxies and TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hopper-proxy-'));
  const filestore = new LocalFilestore(join(dir, 'files'));
  const proxy = recordingProxy();
  const plain = createServer((_req, res) => res.end(payload));
  let https: HttpsServer;
  let ports: { proxy: number; plain: number; https: number };

  beforeAll(async () => {
    // A self-signed certificate for files.test, made for this run.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=files.test',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    https = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) =>
      res.end(Buffer.concat([payload, Buffer.from(`sni=${(req.socket as unknown as { servername?: string }).servername}`)])),
    );
    ports = { proxy: await listen(proxy.server), plain: await listen(plain), https: await listen(https) };
  });

  afterAll(async () => {
    for (const socket of proxy.tunnels) socket.destroy();
    for (const server of [proxy.server, plain, https]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  const downloader = () =>
    new SafeDownloader(
      { maxBytes: 1_000_000, connectTimeoutMs: 5000, totalTimeoutMs: 10_000, allowedPorts: [ports.plain, ports.https], allowNetworks: ['127.0.0.1/32'] },
      { filestore, logger: quietLogger, resolver },
    );
  const proxies = () => ({ http: `http://127.0.0.1:${ports.proxy}`, https: `http://127.0.0.1:${ports.proxy}` });

  it('asks the proxy for the checked address of an http URL, keeping the name as Host', async () => {
    proxy.asked.length = 0;
    const file = await downloader().download(`http://files.test:${ports.plain}/sample?x=1`, { proxies: proxies() });
    expect(file.sha256).toBe(sha256(payload));
    expect(proxy.asked).toEqual([`GET http://127.0.0.1:${ports.plain}/sample?x=1 host=files.test:${ports.plain}`]);
  });

  it('tunnels https to the checked address and starts TLS with the name for SNI', async () => {
    proxy.asked.length = 0;
    const staged = await downloader().stage(`https://files.test:${ports.https}/sample`, { proxies: proxies(), verifyTls: false });
    expect(proxy.asked).toEqual([`CONNECT 127.0.0.1:${ports.https}`]);
    expect(staged.hashes.sha256).toBe(sha256(Buffer.concat([payload, Buffer.from('sni=files.test')])));
    await staged.staged.discard();
  });

  it('still refuses a forbidden destination, without asking the proxy', async () => {
    proxy.asked.length = 0;
    await expect(downloader().download(`http://intranet.test:${ports.plain}/secret`, { proxies: proxies() })).rejects.toThrow(new ReservedAddressError('intranet.test'));
    expect(proxy.asked).toEqual([]);
  });

  it('goes direct for a scheme without a proxy', async () => {
    proxy.asked.length = 0;
    const file = await downloader().download(`http://files.test:${ports.plain}/direct`, { proxies: { https: `http://127.0.0.1:${ports.proxy}` } });
    expect(file.sha256).toBe(sha256(payload));
    expect(proxy.asked).toEqual([]);
  });

  it('routes a file source with proxies through them', async () => {
    proxy.asked.length = 0;
    const fetcher = new FileSourceFetcher({
      downloader: downloader(),
      filestore,
      classification: { max: (a: string) => a, isAccessible: () => true },
      logger: quietLogger,
      allowUrlSubmissions: true,
      maxFileSize: 1_000_000,
    });
    const result = await fetcher.fetch({
      userClassification: 'TLP:C',
      classification: 'TLP:C',
      input: sha256(payload),
      sources: [
        {
          name: 'behind-proxy',
          url: `http://files.test:${ports.plain}/get/{INPUT}`,
          replace_pattern: '{INPUT}',
          hash_types: ['sha256'],
          proxies: proxies(),
        },
      ],
    });
    expect(result).toMatchObject({ source: 'behind-proxy', sha256: sha256(payload) });
    expect(proxy.asked).toEqual([`GET http://127.0.0.1:${ports.plain}/get/${sha256(payload)} host=files.test:${ports.plain}`]);
  });

  it('verifies TLS certificates unless the source turns verify off', async () => {
    const url = `https://files.test:${ports.https}/sample`;
    // Self-signed: refused, saying why.
    await expect(downloader().download(url)).rejects.toThrow(new UnreachableHostError('files.test', 'its TLS certificate was not accepted'));
    const staged = await downloader().stage(url, { verifyTls: false });
    expect(staged.hashes.sha256).toBe(sha256(Buffer.concat([payload, Buffer.from('sni=files.test')])));
    await staged.staged.discard();
  });
});
