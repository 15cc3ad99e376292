import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlErrors, ApiAlResponse, ApiPaths } from '../openapi/api-docs.decorators';
import { arrayOf, bool, int, mapOf, nullable, object, str } from '../openapi/schema-builders';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { ReadinessService } from '@hopper/observability';
import { ALL_QUEUES, QUEUES, QueueName, Queues } from '@hopper/queues';
import { AlApi } from '../al-api/al-api.decorator';
import { RequireRoles } from '../auth/auth.decorators';
import { parsePaging } from '../http/paging';
import { PagingQuery } from '../http/paging-query';
import { failedJobView, queueReport } from './queue-report';
import { workerReadiness } from './worker-readiness';

const DEFAULT_FAILED_ROWS = 25;

/**
 * Hopper's operator routes (administrators only), read by the console's Operators page: queue depths per queue
 * and priority band with the workers BullMQ sees on each, failed jobs and their retry, and readiness of this
 * API process and of the worker status ports on this host.
 */
@ApiTags('operations')
@AlApi()
@Controller('api/v4/operations')
export class OperationsController {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(QUEUES) private readonly queues: Queues,
    private readonly readiness: ReadinessService,
  ) {}

  @ApiAlResponse(
    arrayOf(
      object({
        name: str,
        depth: object({ waiting: int, active: int, delayed: int, failed: int }),
        bands: mapOf(int),
        workers: arrayOf(object({ name: str, addr: str, age_seconds: int, idle_seconds: int })),
      }),
    ),
    { description: 'Each queue: depth, waiting jobs per priority band, the workers BullMQ sees' },
  )
  @Get('queues/')
  @RequireRoles('administration')
  async queueReports() {
    return Promise.all(ALL_QUEUES.map((name) => queueReport(this.queues.get(name)!)));
  }

  /** The queue's failed jobs, newest first, paged with `offset` and `rows`. */
  @ApiPaths({ queue: 'ingest, dispatch or complete' })
  @ApiAlResponse(
    object(
      { items: arrayOf(object({ id: str, name: str, failed_reason: str, attempts_made: int, finished_at: nullable(str), subject: nullable(str) })), offset: int, rows: int, total: int },
      { closed: true },
    ),
  )
  @ApiAlErrors(400, 404)
  @Get('queues/:queue/failed/')
  @RequireRoles('administration')
  async failed(@Param('queue') name: string, @Query() query: PagingQuery) {
    const queue = this.queue(name);
    const { offset, rows } = parsePaging(query, DEFAULT_FAILED_ROWS);
    const [jobs, total] = await Promise.all([queue.getFailed(offset, offset + rows - 1), queue.getFailedCount()]);
    return { items: jobs.filter(Boolean).map(failedJobView), offset, rows, total };
  }

  /** Moves a failed job back to waiting (BullMQ's retry): it runs again with its attempts reset. */
  @ApiPaths({ queue: 'ingest, dispatch or complete', job: 'A failed job id' })
  @ApiAlResponse(object({ success: bool }, { closed: true }), { description: 'The job is waiting again' })
  @ApiAlErrors(400, 404)
  @Post('queues/:queue/failed/:job/retry/')
  @HttpCode(200)
  @RequireRoles('administration')
  async retry(@Param('queue') name: string, @Param('job') id: string) {
    const job = await this.queue(name).getJob(id);
    if (!job || !(await job.isFailed())) throw new NotFoundException(`No failed job ${id} in queue ${name}`);
    await job.retry('failed');
    return { success: true };
  }

  /** This API process's readiness, and each worker kind's, asked on its status port when one is configured. */
  @ApiAlResponse(
    object({
      api: object({ ready: bool, checks: mapOf(str) }),
      workers: arrayOf(object({ worker: str, port: nullable(int), ready: nullable(bool), checks: nullable(mapOf(str)), error: nullable(str) })),
    }),
  )
  @Get('readiness/')
  @RequireRoles('administration')
  async processReadiness() {
    const [api, workers] = await Promise.all([this.readiness.check(), workerReadiness(this.config)]);
    return { api, workers };
  }

  private queue(name: string) {
    const queue = this.queues.get(name as QueueName);
    if (!queue) throw new NotFoundException(`No queue ${name}: the queues are ${ALL_QUEUES.join(', ')}`);
    return queue;
  }
}
