import 'reflect-metadata';
import type { Server } from 'node:http';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '@hopper/config';
import { createApi, OPENAPI_PATH } from './create-api';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApi(config);
  // A request outliving its quota lease would run without its slot: the server ends it first.
  const server = app.getHttpServer() as Server;
  server.requestTimeout = config.api.request_timeout_seconds * 1000;
  server.headersTimeout = Math.min(server.headersTimeout, server.requestTimeout);
  await app.listen(config.api.port, config.api.host);
  const shown = config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host;
  app.get(Logger).log(`API listening on http://${shown}:${config.api.port}/ (OpenAPI: /${OPENAPI_PATH})`);
}

main().catch((error) => {
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
