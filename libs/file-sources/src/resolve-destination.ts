import { promises as dns } from 'node:dns';
import * as ipaddr from 'ipaddr.js';
import { AddressPolicy } from './address-policy';
import { InvalidUrlError, PortNotAllowedError, ReservedAddressError, SchemeNotAllowedError, UnresolvableHostError } from './errors';
import type { HostResolver, SourceLogger } from './types';

/** A URL whose host was resolved once and whose every address passed the policy. */
export interface Destination {
  url: URL;
  /** The host name as written (brackets removed), for the Host header and TLS server name. */
  hostname: string;
  /** The checked address to connect to: the connection never looks the name up again (no DNS rebinding). */
  address: string;
  family: 4 | 6;
  port: number;
}

export interface DestinationRules {
  policy: AddressPolicy;
  allowedPorts: readonly number[];
  resolver: HostResolver;
  logger: SourceLogger;
}

export const defaultResolver: HostResolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/**
 * Parses `raw` and decides where a download may connect, or throws the rule that refuses it: the scheme, the
 * port, a name that does not resolve, a reserved address (any one of the name's). The WHATWG parser already turns decimal, octal and
 * hex IPv4 spellings (http://2130706433/, http://0x7f.1/) into dotted form, so literals are judged as the
 * address they really are.
 */
export async function resolveDestination(raw: string | URL, rules: DestinationRules): Promise<Destination> {
  let url: URL;
  try {
    url = new URL(raw.toString());
  } catch {
    throw new InvalidUrlError();
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SchemeNotAllowedError(url.protocol.slice(0, -1));
  if (url.hostname === '') throw new InvalidUrlError();

  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (!rules.allowedPorts.includes(port)) {
    rules.logger.warn({ url: url.href, port }, 'download refused: port not allowed');
    throw new PortNotAllowedError(port, rules.allowedPorts);
  }

  let addresses: { address: string; family: number }[];
  if (ipaddr.isValid(hostname)) {
    addresses = [{ address: hostname, family: hostname.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await rules.resolver(hostname);
    } catch (error) {
      rules.logger.warn({ url: url.href, err: (error as Error).message }, 'download refused: host does not resolve');
      throw new UnresolvableHostError();
    }
  }
  if (addresses.length === 0) {
    rules.logger.warn({ url: url.href }, 'download refused: host has no address');
    throw new UnresolvableHostError();
  }
  // Every address must pass, not only the first: otherwise a name with one public and one private address
  // would depend on which one the connection picks.
  for (const { address } of addresses) {
    const refusal = rules.policy.refusal(address);
    if (refusal) {
      rules.logger.warn({ url: url.href, address, range: refusal }, 'download refused: forbidden address');
      throw new ReservedAddressError(hostname);
    }
  }
  const chosen = addresses[0];
  return { url, hostname, address: chosen.address, family: chosen.family === 6 ? 6 : 4, port };
}
