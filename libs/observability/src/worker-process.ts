import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { HopperConfig, HopperConfigModule, loadConfigOrExit } from '@hopper/config';
import { DatastoreModule } from '@hopper/datastore';
import { FilestoreModule } from '@hopper/filestore';
import { QueuesModule } from '@hopper/queues';
import { loggingModule } from './logging';
import { ObservabilityModule } from './observability.module';
import { WORKER_NAME, WorkerName, WorkerStatusService } from './worker-status.service';

/**
 * The module every worker process shares: configuration, logs, MongoDB, filestore, queues, readiness,
 * metrics and the status port. A worker adds its own processing providers through `imports`.
 */
export function workerModule(name: WorkerName, config: HopperConfig, imports: DynamicModule['imports'] = []): DynamicModule {
  @Module({})
  class WorkerRootModule {}
  return {
    module: WorkerRootModule,
    imports: [
      HopperConfigModule.forRoot(config),
      loggingModule(name, config),
      DatastoreModule,
      FilestoreModule,
      QueuesModule,
      ObservabilityModule,
      ...imports,
    ],
    providers: [{ provide: WORKER_NAME, useValue: name }, WorkerStatusService],
  };
}

/** Starts a worker process; SIGTERM/SIGINT run every shutdown hook (stop taking jobs, close connections). */
export async function startWorkerProcess(module: DynamicModule): Promise<void> {
  const app = await NestFactory.createApplicationContext(module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.init();
  app.get(Logger).log('worker started');
}

/** A worker's main(): load the configuration (exit on a bad one), start, and exit loudly if start-up fails. */
export function runWorker(name: WorkerName, imports: DynamicModule['imports'] = []): void {
  const config = loadConfigOrExit();
  startWorkerProcess(workerModule(name, config, imports)).catch((error) => {
    process.stderr.write(`${name} failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
