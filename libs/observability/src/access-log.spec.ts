import { createServer, IncomingMessage, request as httpRequest, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { HopperConfig } from '@hopper/config';
import { accessLog } from './access-log';
import { loggingOptions } from './logging';

interface Line {
  level: number;
  msg: string;
  req?: { id: number; method: string; url: string; query?: Record<string, string>; headers: Record<string, string> };
  res?: { statusCode: number; headers: Record<string, string> };
  err?: { message: string };
  responseTime?: number;
}

/** A bare HTTP server behind accessLog, logging at `level` with the processes' options into `lines`. */
async function serve(level: string, lines: string[], counted: { req: number }): Promise<{ server: Server; url: string; listeners: number[] }> {
  // loggingOptions reads the level only.
  const options = loggingOptions('api', { logging: { level } } as HopperConfig);
  const serializeReq = options.serializers!.req!;
  const logger = pino(
    { ...options, serializers: { ...options.serializers, req: (req: unknown) => (counted.req++, serializeReq(req)) } },
    { write: (line: string) => void lines.push(line) },
  );
  const log = accessLog(logger);
  // Listeners the access log added to each response (Node's server has its own).
  const listeners: number[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const before = res.listenerCount('finish') + res.listenerCount('close');
    log(req, res, () => {
      listeners.push(res.listenerCount('finish') + res.listenerCount('close') - before);
      if (req.url!.startsWith('/fail')) res.statusCode = 500;
      res.setHeader('Set-Cookie', 'session=cookie-secret');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, listeners };
}

function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (res) => res.resume().on('end', () => resolve(res.statusCode!))).on('error', reject).end();
  });
}

/** The lines are written once the answer has finished; the client may see it a moment before. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('accessLog', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  it("writes one line per request with pino-http's fields, credentials redacted, and skips probes", async () => {
    const lines: string[] = [];
    const served = await serve('info', lines, { req: 0 });
    server = served.server;
    await get(`${served.url}/api/v2/samples?api_key=alice:tg:key-secret&limit=1`, { 'X-APIKEY': 'k:header-secret', Cookie: 'session=s1' });
    await get(`${served.url}/fail`);
    await get(`${served.url}/healthz`);
    await settle();

    const parsed = lines.map((line) => JSON.parse(line) as Line);
    expect(parsed).toHaveLength(2);
    expect(served.listeners).toEqual([2, 2, 0]);
    const [ok, failed] = parsed;
    expect(ok).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 1, method: 'GET', url: '/api/v2/samples?api_key=[Redacted]&limit=1', headers: { 'x-apikey': '[Redacted]', cookie: '[Redacted]' } },
      res: { statusCode: 200, headers: { 'set-cookie': '[Redacted]' } },
    });
    expect(typeof ok.responseTime).toBe('number');
    expect(failed).toMatchObject({ msg: 'request errored', req: { id: 2, url: '/fail' }, res: { statusCode: 500 }, err: { message: 'failed with status code 500' } });
    for (const secret of ['key-secret', 'header-secret', 's1', 'cookie-secret']) expect(lines.join('')).not.toContain(secret);
  });

  it('does nothing for a request while the level drops the line: no serialisation, no listener', async () => {
    const lines: string[] = [];
    const counted = { req: 0 };
    const served = await serve('warn', lines, counted);
    server = served.server;
    await get(`${served.url}/api/v4/ingest/`);
    await get(`${served.url}/fail`);
    await settle();
    expect(lines).toEqual([]);
    expect(counted.req).toBe(0);
    expect(served.listeners).toEqual([0, 0]);
  });
});
