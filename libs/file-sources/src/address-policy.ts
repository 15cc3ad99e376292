import * as ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type Cidr = [Address, number];

/**
 * Which destination addresses the downloader may connect to: only globally routable unicast. Every range
 * ipaddr.js names (loopback, private, uniqueLocal, linkLocal, carrierGradeNat, multicast, unspecified,
 * broadcast, reserved, 6to4, teredo, NAT64, …) is refused, which covers cloud metadata addresses
 * (169.254.169.254, fd00:ec2::254) and tunnels that embed a private IPv4. IPv4-mapped IPv6 is judged as
 * the IPv4 it carries.
 */
export class AddressPolicy {
  private readonly allowed: Cidr[];

  /** `allowNetworks`: CIDRs exempt from the refusal (tests only). */
  constructor(allowNetworks: readonly string[] = []) {
    this.allowed = allowNetworks.map((cidr) => normalizeCidr(ipaddr.parseCIDR(cidr)));
  }

  /** Null when the address may be used, otherwise the name of the range that forbids it (for the log). */
  refusal(address: string): string | null {
    if (!ipaddr.isValid(address)) return 'invalid';
    const parsed = ipaddr.process(address);
    if (this.allowed.some(([network, bits]) => parsed.kind() === network.kind() && parsed.match(network, bits))) {
      return null;
    }
    const range = parsed.range();
    return range === 'unicast' ? null : range;
  }
}

// An IPv4-mapped CIDR (::ffff:127.0.0.1/128) is stored as its IPv4 form, as addresses are processed so too.
function normalizeCidr([address, bits]: Cidr): Cidr {
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [address, bits];
}
