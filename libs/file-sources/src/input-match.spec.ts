import { matchInput } from './input-match';

const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
const sha1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('matchInput', () => {
  it('defaults to sha256 only', () => {
    expect(matchInput(sha256, {})).toBe('sha256');
    expect(matchInput(sha256.toUpperCase(), {})).toBe('sha256');
    expect(matchInput(md5, {})).toBeNull();
  });

  it('matches the listed hash types', () => {
    const source = { hash_types: ['md5', 'sha1', 'sha256', 'ssdeep', 'tlsh'] };
    expect(matchInput(md5, source)).toBe('md5');
    expect(matchInput(sha1, source)).toBe('sha1');
    expect(matchInput('3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C', source)).toBe('ssdeep');
    expect(matchInput(`T1${'A'.repeat(70)}`, source)).toBe('tlsh');
    expect(matchInput('not-a-hash', source)).toBeNull();
    expect(matchInput(`${sha256}0`, source)).toBeNull();
  });

  it('tries custom patterns first', () => {
    const source = { hash_types: ['sha256'], hash_patterns: { ticket: '^INC-[0-9]{4,8}$' } };
    expect(matchInput('INC-12345', source)).toBe('ticket');
    expect(matchInput('INC-1', source)).toBeNull();
    expect(matchInput(sha256, source)).toBe('sha256');
  });
});
