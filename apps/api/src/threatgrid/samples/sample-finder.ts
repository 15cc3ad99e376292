import { Inject, Injectable } from '@nestjs/common';
import { FilesRepository, ResultsRepository, SubmissionPage, SubmissionsRepository } from '@hopper/datastore';
import type { AuthenticatedUser } from '../../auth/auth.service';
import { CLOCK, Clock } from '../../http/clock';
import { VisibleSubmissions } from '../../submissions/visible-submissions';
import type { TgFields } from '../http/tg-fields';
import type { Checksum } from './checksum';
import { holdsObservable, Observable, OBSERVABLE_TAG_TYPES } from './observable';
import { SampleFilters, sampleFiltersOf, sampleFiltersQuery } from './sample-filters';
import type { SampleMatch } from './sample-match';
import { VisibleSamples } from './visible-samples';

/** Files one md5 or sha1 may name (a collision is possible, many are not). */
const MAX_FILES_PER_DIGEST = 10;
/**
 * Results of an observable kept for the query, newest first: their keys go into an `$in` on the submissions'
 * `results`, which must stay bounded. Older samples with the same observable are not found.
 */
export const MAX_TAGGED_RESULTS = 100;

/**
 * Lists the samples a Threat Grid caller asked for: every condition (SampleMatch), the filters (state, dates,
 * org_only, user_only) and what the caller may see, in one query on submissions, newest first, paged there.
 */
@Injectable()
export class SampleFinder {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly samples: VisibleSamples,
    private readonly visible: VisibleSubmissions,
    private readonly submissions: SubmissionsRepository,
    private readonly files: FilesRepository,
    private readonly results: ResultsRepository,
  ) {}

  /** The filters of the request, `org_only` and `user_only` meaning the caller's organization and the caller. */
  filtersOf(fields: TgFields, auth: AuthenticatedUser): SampleFilters {
    return sampleFiltersOf(fields, { organization: this.samples.organizationName(auth), uname: auth.uname }, this.clock.now());
  }

  async find(auth: AuthenticatedUser, matches: readonly SampleMatch[], filters: SampleFilters, paging: { offset: number; limit: number }): Promise<SubmissionPage> {
    const resolved = await Promise.all(matches.map((match) => this.filterOf(auth, match)));
    // A checksum no file has, an observable no visible result holds: nothing to ask the submissions.
    if (resolved.some((filter) => filter === null)) return { items: [], total: 0 };
    const parts = [this.samples.listFilter(auth), ...(resolved as Record<string, unknown>[]), sampleFiltersQuery(filters)];
    return this.submissions.list({ $and: parts.filter((part) => Object.keys(part).length > 0) }, paging.offset, paging.limit);
  }

  /** The filter on submissions a match stands for; null when it can match none. */
  private async filterOf(auth: AuthenticatedUser, match: SampleMatch): Promise<Record<string, unknown> | null> {
    if ('filter' in match) return match.filter;
    if ('checksum' in match) return this.checksumFilter(match.checksum);
    return this.observableFilter(auth, match.observable);
  }

  private async checksumFilter(checksum: Checksum): Promise<Record<string, unknown> | null> {
    if (checksum.algorithm === 'sha256') return { 'files.sha256': checksum.value };
    const sha256s = await this.files.sha256sByDigest(checksum.algorithm, checksum.value, MAX_FILES_PER_DIGEST);
    if (sha256s.length === 0) return null;
    return { 'files.sha256': sha256s.length === 1 ? sha256s[0] : { $in: sha256s } };
  }

  /**
   * The submissions whose results include one that holds the observable and that the caller may see. By the
   * submissions' result keys, not the results' `sid`: a result reused from the cache names only the
   * submission that first produced it, and every later sample of the same file lists it too.
   */
  private async observableFilter(auth: AuthenticatedUser, observable: Observable): Promise<Record<string, unknown> | null> {
    const tagged = await this.results.findTagged(OBSERVABLE_TAG_TYPES[observable.kind], [observable.value], MAX_TAGGED_RESULTS);
    const keys = tagged
      .filter((result) => holdsObservable(result.tags, observable) && this.visible.maySee(auth, result.classification))
      .map((result) => result._id);
    if (keys.length === 0) return null;
    return { results: keys.length === 1 ? keys[0] : { $in: keys } };
  }
}
