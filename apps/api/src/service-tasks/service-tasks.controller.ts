import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlErrors, ApiAlResponse, ApiJsonBody, ApiPaths, ApiRawResponse, ApiStreamedBody } from '../openapi/api-docs.decorators';
import { bool, mapOf, object, str } from '../openapi/schema-builders';
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

  @ApiPaths({ service: 'The service name', taskId: 'The task id from its queue' })
  @ApiRawResponse('application/octet-stream', "The task's file, streamed")
  @ApiAlErrors(400, 404)
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
  @ApiPaths({ service: 'The service name', taskId: 'The task id from its queue' })
  @ApiStreamedBody(
    {
      json: { kind: 'json', description: '{"result": …} or {"error": …}, as the JSON body would be', required: true },
      extracted: { kind: 'file', description: 'A file the service extracted (repeatable; named as in the result)' },
      supplementary: { kind: 'file', description: 'A file the service kept aside (repeatable)' },
    },
    object({ result: mapOf(), error: mapOf() }, { optional: ['result', 'error'], description: 'One of result or error' }),
  )
  @ApiAlResponse(object({ success: bool, key: str }, { closed: true }), { description: 'Stored under the task\'s result key' })
  @ApiAlErrors(400, 404, 409, 413, 415)
  @Post(':service/task/:taskId/result/')
  @HttpCode(200)
  @RequireRoles('external_service')
  async answer(@Param('service') service: string, @Param('taskId') taskId: string, @Req() request: JsonBodyRequest): Promise<StoredAnswer> {
    const multipart = MULTIPART.test(request.headers['content-type'] ?? '');
    const at = await this.awaitedTask(service, taskId, multipart ? request : null);
    return multipart ? this.answers.fromMultipart(at, request) : this.answers.fromJson(at, request.body);
  }

  /** `{"url": "https://…"}`: where the task's dynamic run can be watched, shown with its submission's progress. */
  @ApiPaths({ service: 'The service name', taskId: 'The task id from its queue' })
  @ApiJsonBody(object({ url: str }, { closed: true }))
  @ApiAlResponse(object({ success: bool }, { closed: true }))
  @ApiAlErrors(400, 404, 409)
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
