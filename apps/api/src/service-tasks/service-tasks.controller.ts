import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { SubmissionProgress } from '@hopper/queues';
import { AlApi } from '../al-api/al-api.decorator';
import { RequireRoles } from '../auth/auth.decorators';
import type { JsonBodyRequest } from '../http/json-body';
import { ExternalTaskAt, ExternalTaskQueues } from './external-task-queues';
import { parseGloveboxUrl } from './glovebox-url';
import { assertAwaited, StoredAnswer, TaskAnswers } from './task-answers';

const MULTIPART = /^multipart\/form-data\b/i;

/**
 * Hopper's routes for external analysis services (a sandbox, an AV on its own machines). A service takes
 * tasks from its BullMQ queue (`service-<name>`), fetches the task's file here, and posts its result (as JSON,
 * or multipart with the files it extracted or kept aside), which is validated against the same schema as
 * in-process services' and stored under the task's result key; the dispatcher waiting for it then goes on.
 * A dynamic-analysis service may also post where its run can be watched (the glovebox). Only the task's own
 * file can be fetched.
 */
@ApiTags('service')
@AlApi()
@Controller('api/v4/service')
export class ServiceTasksController {
  constructor(
    private readonly tasks: ExternalTaskQueues,
    private readonly answers: TaskAnswers,
    private readonly progress: SubmissionProgress,
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

  /** `{"result"}` or `{"error"}` as JSON, or multipart: that JSON as the `json` part, then `extracted`/`supplementary` files. */
  @Post(':service/task/:taskId/result/')
  @HttpCode(200)
  @RequireRoles('external_service')
  async answer(@Param('service') service: string, @Param('taskId') taskId: string, @Req() request: JsonBodyRequest): Promise<StoredAnswer> {
    const multipart = MULTIPART.test(request.headers['content-type'] ?? '');
    const at = await this.awaitedTask(service, taskId, multipart ? request : null);
    return multipart ? this.answers.fromMultipart(at, request) : this.answers.fromJson(at, request.body);
  }

  /** `{"url": "https://…"}`: where the task's dynamic run can be watched, shown with its submission's progress. */
  @Post(':service/task/:taskId/glovebox/')
  @HttpCode(200)
  @RequireRoles('external_service')
  async glovebox(@Param('service') service: string, @Param('taskId') taskId: string, @Req() request: JsonBodyRequest): Promise<{ success: true }> {
    const at = await this.awaitedTask(service, taskId, null);
    await this.progress.setGloveboxUrl(at.task.sid, parseGloveboxUrl(request.body));
    return { success: true };
  }

  /** The task, still awaited (404 unknown, 409 past its deadline); a refused upload is drained, not read. */
  private async awaitedTask(service: string, taskId: string, upload: JsonBodyRequest | null): Promise<ExternalTaskAt> {
    try {
      const at = await this.tasks.find(service, taskId);
      assertAwaited(at);
      return at;
    } catch (refusal) {
      upload?.resume();
      throw refusal;
    }
  }
}
