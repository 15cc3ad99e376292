import * as ipaddr from 'ipaddr.js';

export interface AcceptedIp {
  value: string;
  /** Globally routable (ipaddr.js range `unicast`): private, loopback, link-local, CGNAT, multicast and reserved are not. */
  isPublic: boolean;
}

/** Text right before a number that makes it a version: `v`, `ver`, `version` as a word, with `:`/`=`/spaces. */
const VERSION_WORD = /\b(?:v|ver|version)\.?[\s:=]*$/i;
/** ...or a camel-case property name such as `FileVersion`, `ProductVersion`, `AssemblyVersion`. */
const VERSION_PROPERTY = /[a-z]Version[\s:=]*$/;

/** Whether the text before a dotted number shows that it is a version number. */
export function followsVersionWord(before: string): boolean {
  return VERSION_WORD.test(before) || VERSION_PROPERTY.test(before);
}

/**
 * An IPv4 address written as four decimal octets, when it passes these rules (else null):
 * 1. each octet 0–255 without leading zeros (`010` is octal to some parsers, decimal to others: ambiguous,
 *    and rare in real indicators);
 * 2. not in 0.0.0.0/8 ("this network", never a destination; also `0.x.y.z` version numbers) and not
 *    starting with 255 (the broadcast address and netmasks such as 255.255.255.0).
 * Private and other special-purpose addresses are kept (analysts want them) but are not public.
 * The caller rules out versions from the surrounding text (see followsVersionWord and the IPv4 pattern).
 */
export function acceptIpv4(text: string): AcceptedIp | null {
  const octets = text.split('.');
  if (octets.length !== 4) return null;
  for (const octet of octets) {
    if (!/^\d{1,3}$/.test(octet) || (octet.length > 1 && octet.startsWith('0')) || Number(octet) > 255) return null;
  }
  const first = Number(octets[0]);
  if (first === 0 || first === 255) return null;
  return { value: text, isPublic: ipaddr.IPv4.parse(text).range() === 'unicast' };
}

/** An IPv6 address (a URL's bracketed host), normalised; the unspecified address `::` is refused. */
export function acceptIpv6(text: string): AcceptedIp | null {
  if (!ipaddr.IPv6.isValid(text)) return null;
  const address = ipaddr.IPv6.parse(text);
  const range = address.range();
  if (range === 'unspecified') return null;
  return { value: address.toString(), isPublic: range === 'unicast' };
}
