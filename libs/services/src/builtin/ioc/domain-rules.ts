import { parse } from 'tldts';

/**
 * Where a domain name was seen. A URL's host was written as a host, so only structural checks apply; a
 * bare name in a binary is often something else that merely looks like one; an email's domain is in
 * between (the `@` rules out code, not file names or versions).
 */
export type DomainContext = 'url' | 'email' | 'bare';

/**
 * Suffixes that are real TLDs but also common file extensions: `update.zip`, `setup.py`, `install.sh`,
 * `libfoo.so`, `README.md`, `Foo.app`, `oem1.cat`, `app.js.map`. A bare name ending in one of these is
 * taken to be a file name; the same name as a URL's host is kept.
 */
export const FILE_EXTENSION_TLDS: ReadonlySet<string> = new Set([
  'ai', 'app', 'cab', 'cat', 'cc', 'java', 'map', 'md', 'mk', 'ml', 'mov', 'pl', 'pm', 'ps', 'pub', 'py', 'rs', 'run', 'sh', 'so', 'tf', 'zip',
]);

/** Receivers in code (`this.name`, `window.top`, `self.info`) that are never the first label of a real two-label name. */
export const CODE_RECEIVERS: ReadonlySet<string> = new Set([
  'array', 'base', 'console', 'document', 'exports', 'json', 'math', 'me', 'module', 'object', 'process', 'self', 'string', 'super', 'this', 'window',
]);

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A TLD is letters, or an IDN in punycode. */
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const VERSION_LABEL = /^v?\d+$/;

/**
 * The domain, lower-cased and without a trailing dot, when `raw` passes the rules below; otherwise null.
 *
 * Always (any context):
 * 1. at most 253 characters, at least two labels, each 1–63 letters/digits/hyphens not starting or ending
 *    with a hyphen (no underscores), the last one letters or `xn--` punycode;
 * 2. its public suffix is in the ICANN part of the Public Suffix List (tldts `isIcann`), so `kernel32.dll`,
 *    `foo.local`, `a.b.internal` are out, and it has a registrable domain below that suffix (`co.uk` is out).
 * Bare names and email domains also must not be:
 * 3. a file name: last label in FILE_EXTENSION_TLDS (`payload.zip`, `setup.py`);
 * 4. a version string: every label before the suffix is a number or v+number, and there are two or more
 *    of them or one starts with v (`1.2.dev`, `v3.info`); a single number stays (`163.com`).
 * Bare names also must not be (the `@` of an email rules these out):
 * 5. a code identifier, when written in mixed case: a label with a lower-case letter followed by an
 *    upper-case one (`System.Runtime.InteropServices.ComTypes`-like camelCase) or an upper-case letter in
 *    the public suffix while the name also has lower-case letters (`System.IO`, `System.Net.Security`).
 *    All-lower or all-upper names pass (`EVIL.COM`), and so does a capitalised label (`Google.com`);
 * 6. a member access in code: two labels, the first in CODE_RECEIVERS (`this.name`, `window.top`).
 */
export function acceptDomain(raw: string, context: DomainContext): string | null {
  const written = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  if (written.length === 0 || written.length > 253) return null;
  const name = written.toLowerCase();
  const labels = name.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || !TOP_LABEL.test(labels[labels.length - 1]!)) return null;

  const parsed = parse(name, { allowPrivateDomains: false });
  if (!parsed.isIcann || !parsed.domain || parsed.hostname !== name || !parsed.publicSuffix) return null;
  if (context === 'url') return name;

  if (FILE_EXTENSION_TLDS.has(labels[labels.length - 1]!)) return null;
  const suffixLabels = parsed.publicSuffix.split('.').length;
  if (looksLikeVersion(labels.slice(0, labels.length - suffixLabels))) return null;
  if (context === 'email') return name;
  if (looksLikeCodeIdentifier(written, suffixLabels)) return null;
  if (labels.length === 2 && CODE_RECEIVERS.has(labels[0]!)) return null;
  return name;
}

/** Rule 5: mixed-case names written like code (`written` keeps the original case). */
function looksLikeCodeIdentifier(written: string, suffixLabels: number): boolean {
  if (!/[a-z]/.test(written) || !/[A-Z]/.test(written)) return false;
  const labels = written.split('.');
  if (labels.some((label) => /[a-z][A-Z]/.test(label))) return true;
  return labels.slice(labels.length - suffixLabels).some((label) => /[A-Z]/.test(label));
}

/** Rule 4: the labels before the public suffix look like a version number. */
function looksLikeVersion(leading: readonly string[]): boolean {
  if (leading.length === 0 || !leading.every((label) => VERSION_LABEL.test(label))) return false;
  return leading.length >= 2 || leading.some((label) => label.startsWith('v'));
}
