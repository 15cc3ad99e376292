import * as ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import { TgError } from '../http/tg-envelope';

/** A network observable searched in the tags of the samples' results. */
export interface Observable {
  kind: 'ip' | 'domain' | 'url';
  /** As searched, exactly: domains in lower case and IPv6 addresses compressed (as the IOC service tags them), URLs as given. */
  value: string;
}

/** The Assemblyline tags each kind is found in (the IOC service's static ones, a sandbox's dynamic ones). */
export const OBSERVABLE_TAG_TYPES: Readonly<Record<Observable['kind'], readonly string[]>> = {
  ip: ['network.static.ip', 'network.dynamic.ip'],
  domain: ['network.static.domain', 'network.dynamic.domain'],
  url: ['network.static.uri', 'network.dynamic.uri'],
};

/** A tag value can hold 4096 characters (the services' contract); longer cannot match. */
const MAX_VALUE = 4096;
const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const URL_SHAPE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;
const PREFIXED = /^(ip|domain|url):\s*(\S.*)$/i;

/**
 * Endings that make a bare name a file name rather than a domain in `q` (`invoice.pdf`, `run.sh`), even where
 * a top-level domain of that name exists; `domain:run.sh` searches the domain.
 */
const FILE_EXTENSIONS = new Set(
  (
    'exe dll sys scr cpl ocx drv msi msp lnk pif bat cmd ps psm vbs vbe js jse wsf wsh hta jar class apk dex elf so dylib bin dat tmp ' +
    'doc docx docm dot dotm xls xlsx xlsm xlsb xlt ppt pptx pptm rtf pdf odt ods odp one eml msg txt csv log ini cfg conf xml json yaml yml ' +
    'htm html xhtml svg php asp aspx jsp py pl rb sh lua zip rar gz tgz bz tar xz iso img vhd vhdx cab arj lzh ace dmg pkg deb rpm ' +
    'png jpg jpeg gif bmp ico tif tiff mp3 mp4 wav avi mov mkv swf url inf reg chm lib obj'
  ).split(' '),
);

/** What a value of each kind must be, for error messages. */
export const OBSERVABLE_WORDS: Readonly<Record<Observable['kind'], string>> = { ip: 'an IP address', domain: 'a domain name', url: 'a URL' };

/** The observable a search parameter of this kind gives; null when the value cannot be one. */
export function observableOf(kind: Observable['kind'], text: string): Observable | null {
  const value = text.trim();
  if (!value || value.length > MAX_VALUE) return null;
  if (kind === 'ip') {
    if (isIP(value) === 4) return { kind, value };
    // IPv6 in the form the IOC service tags it (RFC 5952: lower case, zeros compressed).
    return ipaddr.IPv6.isValid(value) ? { kind, value: ipaddr.IPv6.parse(value).toString() } : null;
  }
  if (kind === 'domain') {
    const domain = value.toLowerCase().replace(/\.$/, '');
    return DOMAIN.test(domain) ? { kind, value: domain } : null;
  }
  return /\s/.test(value) ? null : { kind, value };
}

/**
 * The observable a free-text `q` names, when its shape says so: `ip:`, `domain:` or `url:` before it (400 when
 * what follows is not one), a URL with a scheme, an IPv4 or IPv6 address, or a domain name that does not end
 * like a file name.
 */
export function observableInQuery(text: string): Observable | null {
  const prefixed = PREFIXED.exec(text);
  if (prefixed) {
    const kind = prefixed[1].toLowerCase() as Observable['kind'];
    const observable = observableOf(kind, prefixed[2]);
    if (!observable) throw new TgError(`q: ${JSON.stringify(prefixed[2])} is not ${OBSERVABLE_WORDS[kind]}.`, 400);
    return observable;
  }
  if (URL_SHAPE.test(text)) return observableOf('url', text);
  if (isIP(text)) return observableOf('ip', text);
  const domain = observableOf('domain', text);
  const ending = domain?.value.slice(domain.value.lastIndexOf('.') + 1);
  return domain && !FILE_EXTENSIONS.has(ending!) ? domain : null;
}

/** `tags` hold the observable: one tag of one of its kind's types with exactly its value. */
export function holdsObservable(tags: readonly { type: string; value: string }[], observable: Observable): boolean {
  const types = OBSERVABLE_TAG_TYPES[observable.kind];
  return tags.some((tag) => tag.value === observable.value && types.includes(tag.type));
}
