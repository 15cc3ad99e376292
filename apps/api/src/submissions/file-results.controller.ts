import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ResultsRepository } from '@hopper/datastore';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser, RequireRoles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.service';
import { fileInfo } from '../files/file-info';
import { FILE_NOT_FOUND } from '../files/file-messages';
import { VisibleFiles } from '../files/visible-files';
import { resultView } from './result-view';

/** `GET /api/v4/file/result/<sha256>/` (Assemblyline's file result): the file and every result the caller may see. */
@ApiTags('file')
@AlApi()
@Controller('api/v4/file')
export class FileResultsController {
  constructor(
    private readonly files: VisibleFiles,
    private readonly results: ResultsRepository,
  ) {}

  @Get('result/:sha256/')
  @RequireRoles('submission_view')
  async result(@Param('sha256') sha256: string, @CurrentUser() auth: AuthenticatedUser) {
    const record = await this.files.get(auth, sha256, FILE_NOT_FOUND);
    const [results, parents] = await Promise.all([
      this.results.results.find({ sha256: record.sha256 }).sort({ created: -1 }).limit(1000).lean().exec(),
      this.results.results.find({ 'response.extracted.sha256': record.sha256 }, { sha256: 1 }).limit(100).lean().exec(),
    ]);
    const visible = results.filter((result) => this.files.maySee(auth, result.classification));
    return {
      file_info: fileInfo(record),
      results: visible.map(resultView),
      childrens: visible.flatMap((result) => result.response.extracted.map(({ name, sha256: child }) => ({ name, sha256: child }))),
      parents: [...new Set(parents.map((parent) => parent.sha256))],
      errors: [],
    };
  }
}
