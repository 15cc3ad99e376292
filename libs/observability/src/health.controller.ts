import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { MetricsService } from './metrics.service';
import { ReadinessService } from './readiness.service';

/** Liveness, readiness and metrics of the API process. */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly metrics: MetricsService,
  ) {}

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res() res: Response): Promise<void> {
    const { status, body } = readinessResponse(await this.readiness.check());
    res.status(status).json(body);
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metricsText(@Res() res: Response): Promise<void> {
    res.type(this.metrics.contentType).send(await this.metrics.render());
  }
}

/** 200 with every part named, or 503 naming the parts that are down. */
export function readinessResponse(readiness: Awaited<ReturnType<ReadinessService['check']>>) {
  const down = Object.entries(readiness.checks)
    .filter(([, state]) => state !== 'up')
    .map(([name]) => name);
  return readiness.ready
    ? { status: 200, body: { status: 'ready', checks: readiness.checks } }
    : { status: 503, body: { status: 'unavailable', message: `not ready: ${down.join(', ')} down`, checks: readiness.checks } };
}
