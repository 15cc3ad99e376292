import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { DependencyMonitor } from './dependency-monitor.service';
import { healthResponse, readinessResponse } from './health.controller';
import { MetricsService } from './metrics.service';
import { ReadinessService } from './readiness.service';

/**
 * The /healthz, /readyz and /metrics of a worker process, on a port of its own: workers have no API,
 * and a full HTTP framework would be dead weight for three routes.
 */
export async function startStatusServer(
  port: number,
  readiness: ReadinessService,
  metrics: MetricsService,
  monitor: DependencyMonitor,
  host = '0.0.0.0',
): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (req.method !== 'GET') {
        res.writeHead(405, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Method not allowed' }));
      } else if (path === '/healthz') {
        const { status, body } = healthResponse(monitor.health());
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      } else if (path === '/readyz') {
        const { status, body } = readinessResponse(await readiness.check());
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      } else if (path === '/metrics') {
        const text = await metrics.render();
        res.writeHead(200, { 'content-type': metrics.contentType }).end(text);
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `No route ${path}` }));
      }
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: (error as Error).message }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

export function boundPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}
