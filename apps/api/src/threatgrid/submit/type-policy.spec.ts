import { loadConfig } from '@hopper/config';
import { typeRefusal } from './type-policy';

const base = loadConfig({ env: { HOPPER_REDIS_URL: 'redis://127.0.0.1:1', HOPPER_MONGO_URL: 'mongodb://127.0.0.1:1/x' } }).threatgrid;
const org = (allowed: string[] | null) => ({ name: 'acme', id: 7, policy: { id: 7, submission_rate_limit: [], allowed_types: allowed, extract_archives: false } });

describe('typeRefusal', () => {
  it('lets any type through for an interactive user without lists', () => {
    expect(typeRefusal('code/html', { uname: 'ann', type: ['user'] }, org(null), base)).toBeNull();
  });

  it('refuses html and javascript to automated submitters (user type submitter) by default', () => {
    expect(typeRefusal('code/html', { uname: 'bot', type: ['submitter'] }, org(null), base)).toMatch(/^File type code\/html is not submitted automatically/);
    expect(typeRefusal('code/javascript', { uname: 'bot', type: ['submitter'] }, org(null), base)).not.toBeNull();
    expect(typeRefusal('executable/windows/pe32', { uname: 'bot', type: ['submitter'] }, org(null), base)).toBeNull();
  });

  it('lets a user marked not automated submit html even with the submitter type', () => {
    const config = { ...base, users: { bot: { submission_rate_limit: [], allowed_types: null, automated: false } } };
    expect(typeRefusal('code/html', { uname: 'bot', type: ['submitter'] }, org(null), config)).toBeNull();
  });

  it("applies the organization's allowed types, and the user's over them", () => {
    expect(typeRefusal('document/pdf', { uname: 'ann', type: ['user'] }, org(['executable/.*']), base)).toBe(
      'File type document/pdf is not among the types organization acme may submit (executable/.*).',
    );
    const config = { ...base, users: { ann: { submission_rate_limit: [], allowed_types: ['document/'], automated: undefined } } };
    expect(typeRefusal('document/pdf', { uname: 'ann', type: ['user'] }, org(['executable/.*']), config)).toBeNull();
    expect(typeRefusal('executable/windows/pe32', { uname: 'ann', type: ['user'] }, org(['executable/.*']), config)).toMatch(/types user ann may submit/);
  });
});
