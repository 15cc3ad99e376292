import isEmail from 'validator/lib/isEmail';
import isFQDN from 'validator/lib/isFQDN';
import isIP from 'validator/lib/isIP';
import isURL from 'validator/lib/isURL';
import { allowParams, FieldCheck, FieldCheckFactory, FieldValueError, SchemeProblem, singleText } from './field-check';

// Assemblyline's network fields (odm.IP, Domain, Email, URI) validate by regex plus a TLD check; the
// `validator` package gives the same acceptance rules without hand-kept regexes.

function accepting(accepts: (text: string) => boolean, what: string): FieldCheck {
  return (value, field) => {
    const text = singleText(value, field);
    if (!accepts(text)) throw new FieldValueError(`[${field}] '${text}' is not a valid ${what}`);
    return value;
  };
}

function withoutParams(check: FieldCheck): FieldCheckFactory {
  return (params) => {
    allowParams(params, []);
    return check;
  };
}

// A domain needs a dot and a real-looking TLD; underscores and a trailing dot are legal in DNS names.
const domainOptions = { require_tld: true, allow_underscores: true, allow_trailing_dot: true };
// Any scheme (`scheme://host...`) whose host is a domain or an IP, as Assemblyline's FULL_URI.
const uriOptions = { require_protocol: true, require_valid_protocol: false, require_host: true, allow_underscores: true };

export const domainCheck = withoutParams(accepting((text) => isFQDN(text, domainOptions), 'domain'));
export const emailCheck = withoutParams(accepting((text) => isEmail(text, { require_tld: true }), 'email address'));
export const uriCheck = withoutParams(accepting((text) => isURL(text, uriOptions), 'URI'));

/** `ip`: IPv4 or IPv6; `allow_ipv4` / `allow_ipv6` (Assemblyline's odm.IP options) narrow it. */
export const ipCheck: FieldCheckFactory = (params) => {
  allowParams(params, ['allow_ipv4', 'allow_ipv6']);
  const v4 = params.allow_ipv4 ?? true;
  const v6 = params.allow_ipv6 ?? true;
  if (typeof v4 !== 'boolean' || typeof v6 !== 'boolean') throw new SchemeProblem('allow_ipv4 and allow_ipv6 must be true or false');
  if (!v4 && !v6) throw new SchemeProblem('type ip must allow at least one of IPv4 or IPv6');
  const what = v4 && v6 ? 'IP address' : v4 ? 'IPv4 address' : 'IPv6 address';
  return accepting((text) => (v4 && isIP(text, 4)) || (v6 && isIP(text, 6)), what);
};
