import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_KEYS } from './env-overrides';

describe('.env.example', () => {
  it('lists every environment variable the configuration reads', () => {
    const listed = new Set(
      readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8')
        .split('\n')
        .map((line) => /^([A-Z0-9_]+)=/.exec(line)?.[1])
        .filter(Boolean),
    );
    const unlisted = [...Object.keys(ENV_KEYS), 'HOPPER_CONFIG'].filter((name) => !listed.has(name));
    expect(unlisted).toEqual([]);
  });
});
