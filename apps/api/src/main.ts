import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '@hopper/config';
import { createApi, OPENAPI_PATH } from './create-api';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApi(config);
  await app.listen(config.api.port, config.api.host);
  const shown = config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host;
  app.get(Logger).log(`API listening on http://${shown}:${config.api.port}/ (OpenAPI: /${OPENAPI_PATH})`);
}

main().catch((error) => {
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
