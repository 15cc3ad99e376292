import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { Response } from 'express';
import { DependencyMonitor, HealthState } from './dependency-monitor.service';
import { MetricsService } from './metrics.service';
import { ReadinessService } from './readiness.service';

const checks: SchemaObject = { type: 'object', additionalProperties: { type: 'string' }, description: 'Each dependency: up, or why not' };

/** Liveness, readiness and metrics of the API process. Public: no credentials, no envelope. */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly metrics: MetricsService,
    private readonly monitor: DependencyMonitor,
  ) {}

  @ApiOkResponse({ description: 'The process is alive', schema: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } }, additionalProperties: false } })
  @Get('healthz')
  healthz(@Res() res: Response): void {
    const { status, body } = healthResponse(this.monitor.health());
    res.status(status).json(body);
  }

  @ApiOkResponse({
    description: 'Every dependency answers',
    schema: { type: 'object', required: ['status', 'checks'], properties: { status: { type: 'string', enum: ['ready'] }, checks }, additionalProperties: false },
  })
  @ApiServiceUnavailableResponse({
    description: 'A dependency is down (named in message)',
    schema: { type: 'object', required: ['status', 'message', 'checks'], properties: { status: { type: 'string', enum: ['unavailable'] }, message: { type: 'string' }, checks }, additionalProperties: false },
  })
  @Get('readyz')
  async readyz(@Res() res: Response): Promise<void> {
    const { status, body } = readinessResponse(await this.readiness.check());
    res.status(status).json(body);
  }

  @ApiResponse({ status: 200, description: 'Prometheus metrics, text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metricsText(@Res() res: Response): Promise<void> {
    res.type(this.metrics.contentType).send(await this.metrics.render());
  }
}

/**
 * Liveness: 200 while the process can do its work or is waiting out a short outage; 503 once MongoDB or Redis
 * has been unreachable past `health.unhealthy_after_seconds` (restart me). `down` names outages in progress.
 */
export function healthResponse(health: HealthState) {
  const down = Object.entries(health.down).map(([dependency, seconds]) => `${dependency} unreachable for ${seconds} s`);
  return health.healthy
    ? { status: 200, body: { status: 'ok', ...(down.length ? { down: health.down, paused_workers: health.paused } : {}) } }
    : { status: 503, body: { status: 'unhealthy', message: down.join(', '), down: health.down, paused_workers: health.paused } };
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
