import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliConfigFile, resolveServerSettings } from './server-settings';

describe('server settings of the API commands', () => {
  const configHome = mkdtempSync(join(tmpdir(), 'hopper-cli-config-'));
  mkdirSync(join(configHome, 'hopper'));
  writeFileSync(join(configHome, 'hopper', 'config.yml'), 'url: https://file.example.org/\nuser: from-file\napikey: "k:file-secret"\n');
  const env = { XDG_CONFIG_HOME: configHome };

  it('takes each setting from the flag, else the environment, else ~/.config/hopper/config.yml', () => {
    expect(cliConfigFile(env)).toBe(join(configHome, 'hopper', 'config.yml'));
    expect(resolveServerSettings({}, env)).toEqual({ url: 'https://file.example.org', user: 'from-file', apikey: 'k:file-secret' });
    expect(resolveServerSettings({}, { ...env, HOPPER_URL: 'http://env:8080/hopper/', HOPPER_USER: 'from-env' })).toEqual({ url: 'http://env:8080/hopper', user: 'from-env', apikey: 'k:file-secret' });
    expect(resolveServerSettings({ server: 'http://flag', apikey: 'k:flag' }, { ...env, HOPPER_URL: 'http://env' })).toEqual({ url: 'http://flag', user: 'from-file', apikey: 'k:flag' });
  });

  it('says what is missing or wrong without echoing a secret', () => {
    const none = { HOPPER_CLI_CONFIG: join(configHome, 'absent.yml') };
    expect(() => resolveServerSettings({ apikey: 'k:secret' }, none)).toThrow(`No Hopper server to talk to: give --server or HOPPER_URL, --user or HOPPER_USER (or url/user/apikey in ${none.HOPPER_CLI_CONFIG})`);
    expect(() => resolveServerSettings({ server: 'ftp://x', user: 'u', apikey: 'k:secret' }, none)).toThrow('The server URL must start with http:// or https://');
    expect(() => resolveServerSettings({ server: 'not a url k:secret', user: 'u', apikey: 'k:secret' }, none)).toThrow(/^The server URL is not a URL \(expected e\.g\. https:\/\/hopper\.example\.org\)$/);
  });
});
