import { AddressPolicy } from './address-policy';
import { InvalidUrlError, PortNotAllowedError, ReservedAddressError, SchemeNotAllowedError, UnresolvableHostError } from './errors';
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

  it.each(['not a url', 'http://', 'http://1.2.3.4.5/'])('calls %s invalid, in Assemblyline\'s words', async (url) => {
    await expect(resolveDestination(url, rules().value)).rejects.toThrow(new InvalidUrlError());
    await expect(resolveDestination(url, rules().value)).rejects.toThrow('Url provided is invalid.');
  });

  it.each([
    ['ftp://files.example/a', 'ftp'],
    ['file:///etc/passwd', 'file'],
    ['gopher://x/', 'gopher'],
  ])('refuses %s naming its scheme', async (url, scheme) => {
    const error = await resolveDestination(url, rules().value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemeNotAllowedError);
    expect(error).toBeInstanceOf(InvalidUrlError);
    expect((error as Error).message).toBe(`URL scheme '${scheme}' is not allowed (http and https only). The URL will not be downloaded.`);
  });

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
    const error = await resolveDestination(url, value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReservedAddressError);
    // The host as the URL names it (the parser's dotted form), never the address it resolved to.
    expect((error as Error).message).toMatch(/^Host '.+' resolves to a reserved IP address\. The URL will not be downloaded\.$/);
    expect(warnings[0]).toMatchObject({ address });
  });

  it('refuses a name when any one of its addresses is forbidden', async () => {
    const { value, warnings } = rules(async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ]);
    await expect(resolveDestination('http://mixed.example/', value)).rejects.toThrow(
      "Host 'mixed.example' resolves to a reserved IP address. The URL will not be downloaded.",
    );
    expect(warnings).toEqual([expect.objectContaining({ address: '10.0.0.5', range: 'private' })]);
  });

  it('refuses a port that is not allowed, naming it and the allowed ones', async () => {
    const error = await resolveDestination('http://files.example:6379/', rules().value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortNotAllowedError);
    expect((error as Error).message).toBe('Port 6379 is not allowed for URL downloads (allowed: 80, 443). The URL will not be downloaded.');
    await expect(resolveDestination('https://files.example:80/', rules().value)).resolves.toMatchObject({ port: 80 });
  });

  it('refuses names that do not resolve and names without addresses, in Assemblyline\'s words', async () => {
    const failing = rules(async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    });
    await expect(resolveDestination('http://nowhere.example/', failing.value)).rejects.toBeInstanceOf(
      UnresolvableHostError,
    );
    await expect(resolveDestination('http://empty.example/', rules(async () => []).value)).rejects.toThrow(
      'Hostname in this URL cannot be resolved.',
    );
  });
});
