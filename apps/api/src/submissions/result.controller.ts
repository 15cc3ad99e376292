import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlErrors, ApiAlResponse, ApiJsonBody, ApiPaths } from '../openapi/api-docs.decorators';
import { arrayOf, mapOf, object, ref, str } from '../openapi/schema-builders';
import { FileRecord, FilesRepository, ResultRecord, ResultsRepository } from '@hopper/datastore';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser, RequireRoles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.service';
import type { Clearance } from './clearance';
import { storedErrorKey } from './error-key';
import { errorView, fileResultView } from './result-view';
import { checkedKey, checkedKeyList } from './result-keys';
import { VisibleSubmissions } from './visible-submissions';

const cacheKeyNotFound = (key: string) => `Cache key ${key} does not exists.`;
const ERROR_NOT_FOUND = 'The error was not found';

/**
 * Assemblyline's result and error look-ups by key (`api/v4/result.py`, `api/v4/error.py`), the keys
 * `GET /api/v4/submission/full/<sid>/` lists. An error key is taken as shown (`.e<type code>`) or as stored
 * (`.e`). What the caller may not see (a result above its clearance, or of a file above it; an error of such a
 * file) answers the same 404 as an unknown key.
 */
@ApiTags('result')
@AlApi()
@Controller('api/v4')
export class ResultController {
  constructor(
    private readonly visible: VisibleSubmissions,
    private readonly results: ResultsRepository,
    private readonly files: FilesRepository,
  ) {}

  /** `get_multiple_service_results`: `{error: {key: error}, result: {key: result}}` for the keys the caller may see. */
  @ApiJsonBody(object({ error: arrayOf(str), result: arrayOf(str) }, { optional: ['error', 'result'] }), 'The keys to read')
  @ApiAlResponse(object({ error: mapOf(ref('AlServiceError')), result: mapOf(ref('AlResult')) }, { closed: true }))
  @ApiAlErrors(400)
  @Post('result/multiple_keys/')
  @HttpCode(200)
  @RequireRoles('submission_view')
  async multiple(@Body() body: unknown, @CurrentUser() auth: AuthenticatedUser) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestException('The body must be an object with "error" and "result" lists of keys');
    const asked = body as { error?: unknown; result?: unknown };
    const errorKeys = checkedKeyList('error', asked.error);
    const resultKeys = checkedKeyList('result', asked.result);
    const [results, errors] = await Promise.all([this.results.findResults(resultKeys), this.results.findErrors(errorKeys.map(storedErrorKey))]);
    const files = await this.filesOf([...results.map((result) => result.sha256), ...errors.map((error) => error.sha256)]);
    const clearance = this.visible.clearance(auth);
    const resultsByKey = new Map(results.map((result) => [result._id, result]));
    const errorsByKey = new Map(errors.map((error) => [error._id, error]));
    const result = Object.fromEntries(
      resultKeys.flatMap((key) => {
        const record = resultsByKey.get(key);
        const shown = record && this.shownResult(record, files.get(record.sha256), clearance);
        return shown ? [[key, shown]] : [];
      }),
    );
    const error = Object.fromEntries(
      errorKeys.flatMap((key) => {
        const record = errorsByKey.get(storedErrorKey(key));
        return record && this.errorVisible(files.get(record.sha256), clearance) ? [[key, errorView(record)]] : [];
      }),
    );
    return { error, result };
  }

  /** `get_service_error`: the error stored under the key. */
  @ApiPaths({ key: 'A result or error key, as submission/full lists them' })
  @ApiAlResponse(ref('AlServiceError'))
  @ApiAlErrors(400, 404)
  @Get('result/error/:key/')
  @RequireRoles('submission_view')
  async resultError(@Param('key') key: string, @CurrentUser() auth: AuthenticatedUser) {
    return this.error(checkedKey('key', key), auth, cacheKeyNotFound(key));
  }

  /** `get_error`: the error stored under the key. */
  @ApiPaths({ key: 'A result or error key, as submission/full lists them' })
  @ApiAlResponse(ref('AlServiceError'))
  @ApiAlErrors(400, 404)
  @Get('error/:key/')
  @RequireRoles('submission_view')
  async errorByKey(@Param('key') key: string, @CurrentUser() auth: AuthenticatedUser) {
    return this.error(checkedKey('key', key), auth, ERROR_NOT_FOUND);
  }

  /** `get_service_result`: the result stored under the key, as the UI formats it for its file. */
  @ApiPaths({ key: 'A result or error key, as submission/full lists them' })
  @ApiAlResponse(ref('AlResult'))
  @ApiAlErrors(400, 404)
  @Get('result/:key/')
  @RequireRoles('submission_view')
  async result(@Param('key') key: string, @CurrentUser() auth: AuthenticatedUser) {
    const record = await this.results.findResult(checkedKey('key', key));
    const shown = record && this.shownResult(record, await this.files.findBySha256(record.sha256), this.visible.clearance(auth));
    if (!shown) throw new NotFoundException(cacheKeyNotFound(key));
    return shown;
  }

  private async error(key: string, auth: AuthenticatedUser, notFound: string) {
    const record = await this.results.findError(storedErrorKey(key));
    const file = record && (await this.files.findBySha256(record.sha256));
    if (!record || !this.errorVisible(file, this.visible.clearance(auth))) throw new NotFoundException(notFound);
    return errorView(record);
  }

  /** A result the caller may see, and its file (when still stored), formatted for that file; else null. */
  private shownResult(record: ResultRecord, file: FileRecord | null | undefined, clearance: Clearance) {
    if (!clearance.maySee(record.classification) || (file && !clearance.maySee(file.classification))) return null;
    return fileResultView(record, file?.classification ?? record.classification, clearance, { hierarchy: true });
  }

  /** As Assemblyline's: an error shows when its file is stored and the caller may see it. */
  private errorVisible(file: FileRecord | null | undefined, clearance: Clearance): boolean {
    return !!file && clearance.maySee(file.classification);
  }

  private async filesOf(sha256s: string[]): Promise<Map<string, FileRecord>> {
    const unique = [...new Set(sha256s)];
    // One lookup by _id per file, side by side: FerretDB serves `_id` equality from its index but scans for `$in`.
    const records = await Promise.all(unique.map((sha256) => this.files.findBySha256(sha256)));
    return new Map(records.flatMap((record) => (record ? [[record.sha256, record] as const] : [])));
  }
}
