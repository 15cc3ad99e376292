import { EditableUser, planUserEdit } from './user-edit';

// A stand-in engine: two markings, long names normalised to short ones.
const engine = {
  isValid: (c12n: string) => ['TLP:C', 'TLP:CLEAR', 'TLP:A', 'TLP:AMBER'].includes(c12n.toUpperCase()),
  normalize: (c12n: string) => ({ 'TLP:CLEAR': 'TLP:C', 'TLP:AMBER': 'TLP:A' })[c12n.toUpperCase()] ?? c12n.toUpperCase(),
};

const user: EditableUser = {
  email: null,
  name: 'alice',
  type: ['user'],
  roles: [],
  groups: ['soc'],
  organization: null,
  classification: 'TLP:C',
  submission_quota: null,
  submission_daily_quota: 5,
};

describe('planUserEdit', () => {
  it('changes only what differs, each with a line from before to after', () => {
    const plan = planUserEdit(user, { email: 'a@example.org', name: 'alice', groups: 'soc', classification: 'tlp:amber', submissionAsyncQuota: '0', submissionDailyQuota: 'default' }, engine);
    expect(plan).toEqual({
      changes: { email: 'a@example.org', classification: 'TLP:A', submission_async_quota: 0, submission_daily_quota: null },
      lines: ['email: (none) -> a@example.org', 'classification: TLP:C -> TLP:A', 'submission_async_quota: (default) -> 0 (unlimited)', 'submission_daily_quota: 5 -> (default)'],
      problems: [],
    });
  });

  it('reads lists comma-separated, trimmed, without repeats; "" empties roles and groups', () => {
    expect(planUserEdit(user, { type: ' submitter , viewer,submitter', roles: 'file_download', groups: '' }, engine).changes).toEqual({
      type: ['submitter', 'viewer'],
      roles: ['file_download'],
      groups: [],
    });
  });

  it('reports every refused option and changes nothing when any is refused', () => {
    const plan = planUserEdit(user, { email: 'nope', name: 'fine', organization: 'a b', submissionQuota: '1e3' }, engine);
    expect(plan.changes).toEqual({});
    expect(plan.lines).toEqual([]);
    expect(plan.problems).toEqual([
      '--email "nope" is not an e-mail address (use "" to remove it)',
      '--organization "a b" is not a valid organization name (letters, digits and . _ @ - only, at most 64; "" for the default)',
      '--submission-quota must be a whole number >= 0 (0 = unlimited) or "default" (got "1e3")',
    ]);
  });

  it('has nothing to change when every value is the current one', () => {
    expect(planUserEdit(user, { name: 'alice', organization: '', submissionQuota: 'default', submissionDailyQuota: '5' }, engine)).toEqual({ changes: {}, lines: [], problems: [] });
  });
});
