import { BadRequestException, INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import cookieParser from 'cookie-parser';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { Logger, Params, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { accessLog, rootLogger } from '@hopper/observability';
import { ApiModule } from './api.module';
import { serveConsole } from './console/serve-console';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { formBody } from './http/form-body';
import { IdentifierPipe } from './http/identifier.pipe';
import { strictJsonBody } from './http/json-body';
import { mountQueueDashboard } from './operators/queue-dashboard';
import { threatGridPaths } from './threatgrid/http/tg-path';
import { OPENAPI_PATH, serveOpenApi } from './openapi/openapi-document';

export { OPENAPI_PATH };

/**
 * Options every API application is created with. Express's body parsers are off: JSON bodies are read by
 * strictJsonBody (configureApi), and multipart bodies by the routes that stream them.
 */
export const API_APP_OPTIONS = { bufferLogs: true, bodyParser: false } as const;

/** Process-wide settings of the API application (also applied by tests that build their own module). */
export function configureApi(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  // First, so every request gets its access line (and its id), whichever middleware or route answers it.
  app.use(accessLog(rootLogger(app.get<Params>(PARAMS_PROVIDER_TOKEN))));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  app.use(cookieParser());
  const maxBody = app.get<HopperConfig>(HOPPER_CONFIG).api.max_json_body;
  app.use(threatGridPaths);
  app.use(strictJsonBody(maxBody));
  app.use(formBody(maxBody));
  // DTOs validate every body and query they type; unknown fields are dropped, a wrong value is a 400 with the
  // message of the first rule it breaks (one message naming the field, as the routes' own checks answer).
  // Identifiers in paths and queries are checked before any route looks them up.
  app.useGlobalPipes(new IdentifierPipe(), new ValidationPipe({ whitelist: true, transform: true, exceptionFactory: firstValidationError }));
  // Every error, raised in a route or before one ran, in the envelope of the API family its path belongs to.
  app.useGlobalFilters(new ApiExceptionFilter(app.get(HttpAdapterHost).httpAdapter));
}

/** The API application, configured but not listening; tests use it as main() does. */
export async function createApi(config: HopperConfig): Promise<INestApplication> {
  const app = await NestFactory.create(ApiModule.forRoot(config), {
    ...API_APP_OPTIONS,
    // Idle keep-alive connections must not hold up a graceful shutdown.
    forceCloseConnections: true,
  });
  configureApi(app);
  // The web console under / and the BullMQ dashboard under /admin/queues (administrators); /api is unchanged.
  if (!serveConsole(app)) app.get(Logger).warn('console not built (npm run build): the API is served without it');
  mountQueueDashboard(app);
  serveOpenApi(app);
  return app;
}

/** A 400 with the first broken rule's message (nested fields: the first of the first child). */
function firstValidationError(errors: ValidationError[]): BadRequestException {
  let error: ValidationError | undefined = errors[0];
  while (error && !error.constraints && error.children?.length) error = error.children[0];
  const message = error?.constraints ? Object.values(error.constraints)[0] : 'Bad request';
  return new BadRequestException(message);
}
