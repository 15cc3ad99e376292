import { DecisionCache } from './decision-cache';
import { acceptDomain, type DomainContext } from './domain-rules';
import type { IocCollector } from './ioc-collector';
import { type AcceptedIp, acceptIpv4, acceptIpv6, followsVersionWord } from './ipv4-rules';
import type { ExtractedString, StringChannel } from './string-extractor';

/*
 * Candidate patterns. Each starts with a look-behind that refuses to begin inside a longer token, which is
 * both a rule (no `vil.com` out of `evil.com`) and what keeps matching linear on long dotted runs.
 */

/**
 * http, https and ftp URLs with a host. Defanged forms (`hxxp://`, `evil[.]com`) are not recognised on
 * purpose: malware cannot use them, they appear in reports about malware, and tagging them would score
 * the report.
 */
const URL_PATTERN = /(?<![A-Za-z0-9])(?:https?|ftp):\/\/[A-Za-z0-9[][^\s"'<>`{}|\\^]*/gi;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const NAME = `(?:${LABEL}\\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]`;
/** Not followed by more name (a label character, `@`, or a dot and more labels); a final full stop is fine. */
const NAME_END = '(?![A-Za-z0-9_@-]|\\.[A-Za-z0-9])';
const DOMAIN_PATTERN = new RegExp(`(?<![A-Za-z0-9_.-])${NAME}${NAME_END}`, 'g');
const EMAIL_PATTERN = new RegExp(`(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]{1,64})@(${NAME})${NAME_END}`, 'g');
/** Four dotted numbers, not inside a longer dotted run (`1.2.3.4.5`) nor glued to a word (`v1.2.3.4`). */
const IPV4_PATTERN = /(?<![A-Za-z0-9.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![A-Za-z0-9]|\.\d)/g;

const DIGIT_DOT = /\d\.\d/;

/** Characters looked at before a number to tell a version from an address. */
const VERSION_CONTEXT = 24;
/** Punctuation that ends a sentence more often than a URL. */
const URL_TRAILING = new Set(['.', ',', ';', ':', '!', '?', '*']);
const CLOSING = new Map([
  [')', '('],
  [']', '['],
]);

/** A URL's host as it is tagged. */
interface UrlHost {
  type: 'network.static.ip' | 'network.static.domain';
  value: string;
  isPublic: boolean;
}

/**
 * Finds URLs, domains, IPv4 addresses and email addresses in extracted strings and adds those that pass
 * the false-positive rules (domain-rules, ipv4-rules) to the collector.
 */
export class IocMatcher {
  /** Per channel, the end of the previous string: `FileVersion` and its value are separate strings in a PE. */
  private readonly previousTail = new Map<StringChannel, string>();

  private readonly domains = new DecisionCache<string | null>();
  private readonly ips = new DecisionCache<AcceptedIp | null>();
  private readonly urls = new DecisionCache<UrlHost | null>();

  constructor(private readonly collector: IocCollector) {}

  scan({ text, channel, continued }: ExtractedString): void {
    const tail = this.previousTail.get(channel) ?? '';
    this.previousTail.set(channel, text.slice(-VERSION_CONTEXT));
    // Every pattern needs a dot (an IPv6 URL a colon): most strings in a binary have neither.
    if (!text.includes('.') && !text.includes(':')) return;
    // In a later window of a long run, a match at index 0 may be the cut-off end of a longer token; the
    // whole token was in the previous window.
    const cut = (index: number) => continued && index === 0;

    // Cheap tests first: most strings cannot hold a URL, an email or an address at all.
    if (text.includes('://')) for (const match of text.matchAll(URL_PATTERN)) if (!cut(match.index)) this.url(trimUrl(match[0]));
    if (text.includes('@')) for (const match of text.matchAll(EMAIL_PATTERN)) if (!cut(match.index)) this.email(match[1]!, match[2]!);
    for (const match of text.matchAll(DOMAIN_PATTERN)) {
      if (cut(match.index)) continue;
      const domain = this.domain(match[0], 'bare');
      if (domain) this.collector.add('network.static.domain', domain, true);
    }
    if (!DIGIT_DOT.test(text)) return;
    for (const match of text.matchAll(IPV4_PATTERN)) {
      if (cut(match.index)) continue;
      const before = `${tail}\n${text.slice(Math.max(0, match.index - VERSION_CONTEXT), match.index)}`;
      if (followsVersionWord(before)) continue;
      const ip = this.ips.get(match[0], acceptIpv4);
      if (ip) this.collector.add('network.static.ip', ip.value, ip.isPublic);
    }
  }

  private domain(text: string, context: DomainContext): string | null {
    return this.domains.get(`${context}:${text}`, () => acceptDomain(text, context));
  }

  /** A URL counts when its host is an acceptable domain or IP; the host is tagged too. */
  private url(text: string): void {
    const host = this.urls.get(text, (url) => this.urlHost(url));
    if (!host) return;
    this.collector.add(host.type, host.value, host.isPublic);
    this.collector.add('network.static.uri', text, host.isPublic);
  }

  private urlHost(text: string): UrlHost | null {
    let hostname: string;
    try {
      hostname = new URL(text).hostname;
    } catch {
      return null;
    }
    if (hostname.startsWith('[')) {
      const ip = acceptIpv6(hostname.slice(1, -1));
      return ip === null ? null : { type: 'network.static.ip', ...ip };
    }
    if (/^\d+\.\d+\.\d+\.\d+$/.test(hostname)) {
      // The URL parser has already turned `0x7f.1`-style hosts into dotted decimal, as a client would.
      const ip = acceptIpv4(hostname);
      return ip === null ? null : { type: 'network.static.ip', ...ip };
    }
    const domain = this.domain(hostname, 'url');
    return domain === null ? null : { type: 'network.static.domain', value: domain, isPublic: true };
  }

  private email(local: string, domainText: string): void {
    if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return;
    const domain = this.domain(domainText, 'email');
    if (!domain) return;
    this.collector.add('network.email.address', `${local.toLowerCase()}@${domain}`, true);
    this.collector.add('network.static.domain', domain, true);
  }
}

/** Drops sentence punctuation and unbalanced closing brackets from the end of a URL match. */
export function trimUrl(text: string): string {
  let end = text.length;
  for (;;) {
    const last = text[end - 1]!;
    const opening = CLOSING.get(last);
    if (URL_TRAILING.has(last) || (opening !== undefined && count(text, opening, end) < count(text, last, end))) end--;
    else break;
  }
  return text.slice(0, end);
}

function count(text: string, char: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1 && i < end; i = text.indexOf(char, i + 1)) n++;
  return n;
}
