import { Controller, Get, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiQueries, ApiTgErrors, ApiTgResponse } from '../../openapi/api-docs.decorators';
import { ref, str } from '../../openapi/schema-builders';
import { RequireRoles } from '../../auth/auth.decorators';
import { TgApi } from '../http/tg-api.decorator';
import type { TgRequest } from '../http/tg-auth.guard';
import { TgFields } from '../http/tg-fields';
import { SampleFinder } from './sample-finder';
import { sampleSearchCriterion } from './sample-search-criterion';
import { tgPaging } from './tg-paging';
import { VisibleSamples } from './visible-samples';

/**
 * `GET /api/v2/samples/search` (pythreatgrid's `search_samples`, err-threatgrid, pythreatgrid-search): the
 * samples with a checksum, an IP, domain or URL in their results, or a tag, that the caller may see; newest
 * first, offset-paged. Its own controller, registered before SamplesController, whose `GET :id` would
 * otherwise take `search` for a sample id.
 */
@ApiTags('threatgrid')
@TgApi(2)
@Controller('api/v2/samples')
export class SampleSearchController {
  constructor(
    private readonly samples: VisibleSamples,
    private readonly finder: SampleFinder,
  ) {}

  @ApiQueries({ checksum: str, checksum_sample: str, ip: str, domain: str, url: str, tag: str, limit: { type: 'integer', minimum: 1 }, offset: { type: 'integer', minimum: 0 } })
  @ApiTgResponse(ref('TgSampleSearchPage'))
  @ApiTgErrors(400)
  @Get('search')
  @RequireRoles('submission_view')
  async search(@Req() request: TgRequest) {
    const auth = request.auth!;
    const fields = TgFields.of(request);
    const { relation, match } = sampleSearchCriterion(fields);
    const paging = tgPaging(fields, { defaultLimit: 10 });
    const page = await this.finder.find(auth, [match], this.finder.filtersOf(fields, auth), paging);
    const views = await this.samples.views(request, page.items);
    const items = views.map((view) => ({
      sample: view.id,
      relation,
      sha256: view.sha256,
      filename: view.filename,
      state: view.state,
      submitted_at: view.submitted_at,
    }));
    return { current_item_count: items.length, index: paging.offset, items_per_page: paging.limit, total: page.total, items };
  }
}
