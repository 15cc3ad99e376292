import { Controller, Get, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiQueries, ApiTgErrors, ApiTgResponse } from '../../openapi/api-docs.decorators';
import { ref, str } from '../../openapi/schema-builders';
import { RequireRoles } from '../../auth/auth.decorators';
import { threatScore } from '../analysis';
import { TgApi } from '../http/tg-api.decorator';
import type { TgRequest } from '../http/tg-auth.guard';
import { TgFields } from '../http/tg-fields';
import { SampleFinder } from '../samples/sample-finder';
import { tgPaging } from '../samples/tg-paging';
import { VisibleSamples } from '../samples/visible-samples';
import { submissionSearches } from './submission-search-query';

/**
 * `GET /api/v2/search/submissions`: the samples the caller may see, newest first, offset-paged (clients page
 * until `current_item_count != items_per_page`); `state`, `after`, `before`, `org_only` and `user_only`
 * narrow it, `q` filters it (submissionSearches: terms joined with `&&`; `advanced=true` reads the same forms).
 */
@ApiTags('threatgrid')
@TgApi(2)
@Controller('api/v2/search')
export class SearchController {
  constructor(
    private readonly samples: VisibleSamples,
    private readonly finder: SampleFinder,
  ) {}

  @ApiQueries({ q: { ...str, description: 'Terms joined with &&' }, advanced: str, state: str, after: str, before: str, org_only: str, user_only: str, limit: { type: 'integer', minimum: 1 }, offset: { type: 'integer', minimum: 0 } })
  @ApiTgResponse(ref('TgSubmissionSearchPage'))
  @ApiTgErrors(400)
  @Get('submissions')
  @RequireRoles('submission_view')
  async submissionsSearch(@Req() request: TgRequest) {
    const auth = request.auth!;
    const fields = TgFields.of(request);
    const paging = tgPaging(fields, { defaultLimit: 100 });
    const matches = submissionSearches(fields.first('q'));
    const page = await this.finder.find(auth, matches, this.finder.filtersOf(fields, auth), paging);
    const views = await this.samples.views(request, page.items);
    const items = views.map((view, index) => {
      const record = page.items[index];
      const ended = view.state === 'succ' || view.state === 'fail';
      return {
        item: {
          sample: view.id,
          sha256: view.sha256,
          md5: view.md5,
          sha1: view.sha1,
          filename: view.filename,
          state: view.state,
          status: view.status,
          submitted_at: view.submitted_at,
          login: view.login,
          tags: view.tags,
          private: view.private,
          vm: view.vm,
          permalink: view.permalink,
          analysis: ended ? { threat_score: threatScore(record.max_score), heuristic_score: record.max_score } : null,
        },
      };
    });
    return { current_item_count: items.length, index: paging.offset, items_per_page: paging.limit, total: page.total, items };
  }
}
