import { Controller, Get, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SubmissionsRepository } from '@hopper/datastore';
import { RequireRoles } from '../../auth/auth.decorators';
import { threatScore } from '../analysis';
import { TgApi } from '../http/tg-api.decorator';
import type { TgRequest } from '../http/tg-auth.guard';
import { TgFields } from '../http/tg-fields';
import { tgPaging } from '../samples/tg-paging';
import { VisibleSamples } from '../samples/visible-samples';
import { submissionSearchFilter } from './submission-search-query';

const TRUE = /^(true|1|yes)$/i;

/**
 * `GET /api/v2/search/submissions`: the samples the caller may see, newest first, offset-paged (clients page
 * until `current_item_count != items_per_page`); `org_only` and `user_only` narrow it, `q` filters it.
 */
@ApiTags('threatgrid')
@TgApi(2)
@Controller('api/v2/search')
export class SearchController {
  constructor(
    private readonly samples: VisibleSamples,
    private readonly submissions: SubmissionsRepository,
  ) {}

  @Get('submissions')
  @RequireRoles('submission_view')
  async submissionsSearch(@Req() request: TgRequest) {
    const auth = request.auth!;
    const fields = TgFields.of(request);
    const paging = tgPaging(fields, { defaultLimit: 100 });
    const query: Record<string, unknown> = {
      ...this.samples.listFilter(auth),
      ...submissionSearchFilter(fields.first('q')),
      ...(TRUE.test(fields.first('org_only') ?? '') ? { 'threatgrid.organization': this.samples.organizationName(auth) } : {}),
      ...(TRUE.test(fields.first('user_only') ?? '') ? { 'params.submitter': auth.uname } : {}),
    };
    const page = await this.submissions.list(query, paging.offset, paging.limit);
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
