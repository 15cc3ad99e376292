import { loadConfig } from '@hopper/config';
import { TgFields } from '../http/tg-fields';
import { readSubmitOptions } from './tg-submit-options';

const config = loadConfig({ env: { HOPPER_REDIS_URL: 'redis://127.0.0.1:1', HOPPER_MONGO_URL: 'mongodb://127.0.0.1:1/x' } }).threatgrid;
const read = (form: Record<string, string[]>, query: Record<string, unknown> = {}) =>
  readSubmitOptions(new TgFields(new Map(Object.entries(form)), query), config);

describe('readSubmitOptions', () => {
  it('reads tags repeated, joined with ", " or ",", without empties or repeats', () => {
    expect(read({ tags: ['a', 'b, c', 'c,d', ''] }).options.tags).toEqual(['a', 'b', 'c', 'd']);
    expect(read({ tags: [''] }).options.tags).toEqual([]);
  });

  it('reads private in any case; absent or false-like is not private', () => {
    expect(read({ private: ['True'] }).options.private).toBe(true);
    expect(read({ private: ['true'] }).options.private).toBe(true);
    expect(read({ private: ['False'] }).options.private).toBe(false);
    expect(read({}).options.private).toBe(false);
    expect(read({ private: ['maybe'] }).problems).toEqual([{ code: 400, message: 'The parameter private must be true or false (got "maybe").' }]);
  });

  it('takes options from the query when the form has none, the form first otherwise', () => {
    expect(read({}, { vm: 'win10', network_exit: 'sim-all' }).options).toMatchObject({ vm: 'win10', network_exit: 'sim-all' });
    expect(read({ playbook: ['none'] }, { playbook: 'default' }).options.playbook).toBe('none');
  });

  it('defaults the vm to the first configured one and checks choices against the configuration', () => {
    expect(read({}).options.vm).toBe('win10');
    expect(read({ network_exit: ['moon'] }).problems[0].message).toBe(
      'The network_exit "moon" is not available; choose one of: direct, sim-as-needed, sim-all.',
    );
  });

  it('takes the display name from sample_filename, else filename', () => {
    expect(read({ sample_filename: ['shown.pdf'], filename: ['other.pdf'] }).options.filename).toBe('shown.pdf');
    expect(read({ filename: ['other.pdf'] }).options.filename).toBe('other.pdf');
    expect(read({}).options.filename).toBeNull();
  });

  it('refuses more than 64 tags', () => {
    const tags = Array.from({ length: 65 }, (_, index) => `t${index}`);
    expect(read({ tags }).problems[0].message).toBe('At most 64 tags are allowed (got 65).');
  });
});
