import { Controller, Headers, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { withAnswerHeaders } from '../http/answer-headers';
import { ApiAlErrors, ApiAlResponse, ApiStreamedBody } from '../openapi/api-docs.decorators';
import { object, str } from '../openapi/schema-builders';
import { ingestJsonBody } from '../openapi/al-schemas';
import type { Request, Response } from 'express';
import type { RedisConnection } from '@hopper/queues';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { REDIS_CONNECTION, RedisKeys } from '@hopper/queues';
import { AlApi } from '../al-api/al-api.decorator';
import { AlEnvelope, alAnswer } from '../al-api/al-envelope';
import { CurrentUser, RequireRoles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.service';
import { IdempotencyStore } from './idempotency';
import { SubmissionBodies } from '../intake';
import { IngestAnswer, IngestService } from './ingest.service';

@ApiTags('ingest')
// The envelope is the route's own: the interceptor's machinery was a quarter of this hot route's CPU.
@AlApi({ envelopeInterceptor: false })
@Controller('api/v4/ingest')
export class IngestController {
  private readonly idempotency: IdempotencyStore;

  constructor(
    private readonly ingestion: IngestService,
    private readonly bodies: SubmissionBodies,
    @Inject(REDIS_CONNECTION) redis: RedisConnection,
    @Inject(HOPPER_CONFIG) config: HopperConfig,
  ) {
    this.idempotency = new IdempotencyStore(redis, new RedisKeys(config.redis.prefix));
  }

  /**
   * Ingests one file (multipart `json` + `bin`), or a sha256, URL or file-source input (JSON body), as
   * Assemblyline's `POST /api/v4/ingest/`; answers `{ingest_id}` once the task is queued. An
   * `Idempotency-Key` header makes a retried request answer the first one's result for 24 h.
   */
  @ApiStreamedBody({
    json: { kind: 'json', description: 'The submission as JSON text: name, params, metadata, submission_profile…' },
    bin: { kind: 'file', description: 'The file, streamed (Assemblyline reads the part named `bin` only; any other file part is refused)', required: true },
  }, ingestJsonBody)
  @ApiAlResponse(object({ ingest_id: str }, { closed: true }), { description: 'Queued for the ingester' })
  @ApiAlErrors(400, 404, 409, 413, 415, 429)
  @Post('/')
  @HttpCode(200)
  @RequireRoles('submission_create')
  async ingest(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() auth: AuthenticatedUser,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<AlEnvelope<IngestAnswer | null>> {
    return alAnswer(request, () => this.answer(request, response, auth, idempotencyKey));
  }

  private async answer(request: Request, response: Response, auth: AuthenticatedUser, idempotencyKey: string | undefined): Promise<IngestAnswer> {
    const claim = await this.idempotency.claim<IngestAnswer>(auth.uname, idempotencyKey);
    if ('replay' in claim) {
      request.resume(); // the body is not needed: drain it so the connection stays usable
      response.setHeader('Idempotent-Replayed', 'true');
      return claim.replay;
    }
    try {
      const body = await this.bodies.read(request, true, { identify: false }); // the ingester identifies the file
      const answer = await withAnswerHeaders(response, (headers) => this.ingestion.ingest(body, headers, auth));
      await this.idempotency.complete(claim.key, answer);
      return answer;
    } catch (error) {
      await this.idempotency.release(claim.key).catch(() => undefined);
      throw error;
    }
  }
}
