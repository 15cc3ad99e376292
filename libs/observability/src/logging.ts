import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { HopperConfig } from '@hopper/config';

/** pino JSON logs, one line per event, tagged with the app that wrote them. */
export function loggingModule(app: string, config: HopperConfig): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: config.logging.level,
      base: { app },
      // Probes and scrapes would drown the log.
      autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes((req.url ?? '').split('?')[0]) },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-apikey"]', 'req.headers["x-xsrf-token"]'],
    },
  });
}
