import { AddressPolicy } from './address-policy';
import { InvalidUrlError, UnresolvableHostError } from './errors';
import { DestinationRules, resolveDestination } from './resolve-destination';
import type { HostResolver } from './types';

function rules(resolver: HostResolver = async () => [{ address: '93.184.216.34', family: 4 }]) {
  const warnings: object[] = [];
  const value: DestinationRules = {
    policy: new AddressPolicy(),
    allowedPorts: [80, 443],
    resolver,
    logger: { info: () => undefined, warn: (obj) => warnings.push(obj) },
  };
  return { value, warnings };
}

describe('resolveDestination', () => {
  it('resolves a public name once and keeps the checked address', async () => {
    const calls: string[] = [];
    const { value } = rules(async (host) => {
      calls.push(host);
      return [{ address: '93.184.216.34', family: 4 }];
    });
    const destination = await resolveDestination('https://files.example/a?b=1', value);
    expect(destination).toMatchObject({ hostname: 'files.example', address: '93.184.216.34', family: 4, port: 443 });
    expect(calls).toEqual(['files.example']);
  });

  it.each(['ftp://files.example/a', 'file:///etc/passwd', 'gopher://x/', 'not a url', 'http://', 'http://1.2.3.4.5/'])(
    'calls %s invalid',
    async (url) => {
      await expect(resolveDestination(url, rules().value)).rejects.toBeInstanceOf(InvalidUrlError);
    },
  );

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://[0:0:0:0:0:ffff:a9fe:a9fe]/', '::ffff:a9fe:a9fe'],
  ])('reads the encoded literal %s as %s and refuses it', async (url, address) => {
    const { value, warnings } = rules(async () => {
      throw new Error('literals are never looked up');
    });
    await expect(resolveDestination(url, value)).rejects.toBeInstanceOf(UnresolvableHostError);
    expect(warnings[0]).toMatchObject({ address });
  });

  it('refuses a name when any one of its addresses is forbidden', async () => {
    const { value, warnings } = rules(async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ]);
    await expect(resolveDestination('http://mixed.example/', value)).rejects.toBeInstanceOf(UnresolvableHostError);
    expect(warnings).toEqual([expect.objectContaining({ address: '10.0.0.5', range: 'private' })]);
  });

  it('refuses ports that are not allowed, names that do not resolve, and names without addresses', async () => {
    await expect(resolveDestination('http://files.example:6379/', rules().value)).rejects.toBeInstanceOf(
      UnresolvableHostError,
    );
    const failing = rules(async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    });
    await expect(resolveDestination('http://nowhere.example/', failing.value)).rejects.toBeInstanceOf(
      UnresolvableHostError,
    );
    await expect(resolveDestination('http://empty.example/', rules(async () => []).value)).rejects.toBeInstanceOf(
      UnresolvableHostError,
    );
  });
});
