import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlResponse, ApiQueries } from '../openapi/api-docs.decorators';
import { mapOf } from '../openapi/schema-builders';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE } from '@hopper/config';
import { queryValue } from '../http/query-value';
import { AlApi } from './al-api.decorator';

/** Assemblyline's help routes (`api/v4/help.py`) that Hopper has the data for. */
@ApiTags('help')
@AlApi()
@Controller('api/v4/help')
export class HelpController {
  constructor(@Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine) {}

  /**
   * The classification definition, parsed as whoami's `c12nDef`; with `original` (Flask style: present and
   * empty, or "true" in any case), the definition as loaded, which `Client.get_classification_engine()` builds
   * its engine from. Any signed-in user, as in Assemblyline.
   */
  @ApiAlResponse(mapOf(), { description: 'The parsed definition (whoami c12nDef), or with `original` the definition as loaded' })
  @ApiQueries({ original: { type: 'string', description: 'Present (empty) or "true": the definition as loaded' } })
  @Get('classification_definition/')
  classificationDefinition(@Query('original') original: unknown) {
    const flag = queryValue(original)?.trim().toLowerCase();
    const parsed = this.engine.parsedDefinition();
    return flag === '' || flag === 'true' ? parsed.original_definition : parsed;
  }
}
