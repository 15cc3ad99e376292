import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { ResultsRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { errorKey, errorRecord, InvalidServiceResultError, parseServiceResult, resultRecord } from '@hopper/services';
import { AlApi } from '../al-api/al-api.decorator';
import { RequireRoles } from '../auth/auth.decorators';
import { ExternalTaskAt, ExternalTaskQueues } from './external-task-queues';

/** What an external service posts: its result, or why it has none. */
interface TaskAnswer {
  result?: unknown;
  error?: { message?: unknown; recoverable?: unknown };
}

/**
 * Hopper's routes for external analysis services (a sandbox, an AV on its own machines). A service takes
 * tasks from its BullMQ queue (`service-<name>`), fetches the task's file here, and posts its result, which
 * is validated against the same schema as in-process services' and stored under the task's result key; the
 * dispatcher waiting for it then goes on. Only the task's own file can be fetched.
 */
@ApiTags('service')
@AlApi()
@Controller('api/v4/service')
export class ServiceTasksController {
  constructor(
    private readonly tasks: ExternalTaskQueues,
    private readonly results: ResultsRepository,
    @Inject(FILESTORE) private readonly filestore: Filestore,
  ) {}

  @Get(':service/task/:taskId/file/')
  @RequireRoles('external_service')
  async file(@Param('service') service: string, @Param('taskId') taskId: string, @Res() response: Response): Promise<void> {
    const { task } = await this.tasks.find(service, taskId);
    const body = await this.filestore.get(task.file.sha256);
    response.status(200).type('application/octet-stream').setHeader('Content-Length', String(task.file.size));
    try {
      await pipeline(body, response);
    } catch (error) {
      // The service went away mid-download: nothing more to answer.
      if (!response.headersSent) throw error;
      response.destroy();
    }
  }

  @Post(':service/task/:taskId/result/')
  @HttpCode(200)
  @RequireRoles('external_service')
  async answer(@Param('service') service: string, @Param('taskId') taskId: string, @Body() body: TaskAnswer): Promise<{ success: true; key: string }> {
    const at = await this.tasks.find(service, taskId);
    if (Date.now() > Date.parse(at.task.deadline)) {
      throw new ConflictException(`Task ${taskId} expired at ${at.task.deadline}: its result is no longer awaited`);
    }
    if (!body || typeof body !== 'object' || (body.result === undefined) === (body.error === undefined)) {
      throw new BadRequestException('Post either {"result": {...}} or {"error": {"message": "..."}}');
    }
    return body.error !== undefined ? this.storeError(at, body.error) : this.storeResult(at, body.result);
  }

  private async storeResult({ manifest, task, job }: ExternalTaskAt, result: unknown): Promise<{ success: true; key: string }> {
    let parsed;
    try {
      parsed = parseServiceResult(manifest.name, result);
    } catch (error) {
      if (error instanceof InvalidServiceResultError) throw new BadRequestException(error.message);
      throw error;
    }
    const submission = { sid: task.sid, classification: task.classification, expiry_ts: task.expiry_ts ? new Date(task.expiry_ts) : null };
    const started = new Date(job.processedOn ?? job.timestamp);
    const record = resultRecord(submission, task.file, manifest, task.result_key, { body: parsed, extracted: [], supplementary: [] }, started);
    await this.results.saveResult(record);
    return { success: true, key: record._id };
  }

  private async storeError({ manifest, task }: ExternalTaskAt, error: TaskAnswer['error']): Promise<{ success: true; key: string }> {
    if (!error || typeof error.message !== 'string' || error.message.length === 0 || error.message.length > 4096) {
      throw new BadRequestException('error.message must be a non-empty string of at most 4096 characters');
    }
    if (error.recoverable !== undefined && typeof error.recoverable !== 'boolean') throw new BadRequestException('error.recoverable must be a boolean');
    const submission = { sid: task.sid, expiry_ts: task.expiry_ts ? new Date(task.expiry_ts) : null };
    const key = errorKey(task.result_key, task.sid);
    await this.results.saveError(errorRecord(submission, task.file.sha256, manifest, key, { type: 'EXCEPTION', message: error.message, recoverable: error.recoverable !== false }));
    return { success: true, key };
  }
}
