import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlResponse } from '../openapi/api-docs.decorators';
import { arrayOf, ref } from '../openapi/schema-builders';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { sourcesVisibleTo } from '@hopper/file-sources';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser, RequireRoles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.service';

@ApiTags('ingest')
@AlApi()
@Controller('api/v4/ingest')
export class FileSourcesController {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(CLASSIFICATION_ENGINE) private readonly classification: ClassificationEngine,
  ) {}

  /**
   * The file sources the caller may submit through: what each accepts and adds, never how it is reached
   * (URLs, headers and data templates can hold credentials).
   */
  @ApiAlResponse(arrayOf(ref('AlFileSource')))
  @Get('sources/')
  @RequireRoles('submission_create')
  sources(@CurrentUser() auth: AuthenticatedUser) {
    const access = { isAccessible: (user: string, item: string) => this.classification.isAccessible(user, item) };
    return sourcesVisibleTo(auth.user.classification, this.config.submission.file_sources, access).map((source) => ({
      name: source.name,
      hash_types: source.hash_types,
      hash_patterns: source.hash_patterns ?? null,
      classification: source.classification ?? this.classification.UNRESTRICTED,
      auto_select: source.auto_select,
      download_from_url: source.download_from_url,
      select_services: source.select_services,
    }));
  }
}
