import type { SubmissionState } from '@hopper/datastore';
import type { TgFields } from '../http/tg-fields';
import { submissionStatesOf } from './state-words';
import { tgDate } from './tg-date';

/** What narrows any sample list or search: `state`, `after`, `before`, `org_only`, `user_only`. */
export interface SampleFilters {
  states?: SubmissionState[];
  /** Submitted at or after. */
  after?: Date;
  /** Submitted before. */
  before?: Date;
  /** `org_only`: samples of this organization. */
  organization?: string;
  /** `user_only`: samples of this user. */
  submitter?: string;
}

/** The caller the `org_only` and `user_only` flags refer to. */
export interface FilterCaller {
  organization: string;
  uname: string;
}

/** The filters a request gives; 400 for an unknown state or a date that cannot be read. */
export function sampleFiltersOf(fields: TgFields, caller: FilterCaller, now: Date): SampleFilters {
  const filters: SampleFilters = {};
  const state = fields.given('state');
  const states = state === undefined ? [] : submissionStatesOf(state);
  if (states.length) filters.states = states;
  const after = fields.given('after');
  if (after !== undefined) filters.after = tgDate('after', after, now);
  const before = fields.given('before');
  if (before !== undefined) filters.before = tgDate('before', before, now);
  if (fields.flag('org_only')) filters.organization = caller.organization;
  if (fields.flag('user_only')) filters.submitter = caller.uname;
  return filters;
}

/** The MongoDB filter of `filters` ({} when there are none). */
export function sampleFiltersQuery(filters: SampleFilters): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (filters.states) query.state = filters.states.length === 1 ? filters.states[0] : { $in: filters.states };
  if (filters.after || filters.before) {
    query['times.submitted'] = { ...(filters.after ? { $gte: filters.after } : {}), ...(filters.before ? { $lt: filters.before } : {}) };
  }
  if (filters.organization !== undefined) query['threatgrid.organization'] = filters.organization;
  if (filters.submitter !== undefined) query['params.submitter'] = filters.submitter;
  return query;
}
