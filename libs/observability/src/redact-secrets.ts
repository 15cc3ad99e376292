/**
 * Secrets out of log text. Clients send credentials where Hopper cannot stop them: Threat Grid scripts put
 * `api_key` in the query string or a form field, Assemblyline clients log in with `apikey` or `password` in a
 * JSON body and then carry `session` / `XSRF-TOKEN` cookies. Whatever names one of those (a query or form
 * parameter, a JSON field, a cookie, an `Authorization` / `X-APIKEY` header line, a Bearer token) has its value
 * replaced by `[Redacted]`, wherever it sits in a log line: the request URL, an error message, a stack trace.
 * Pure: no I/O.
 */

export const REDACTED = '[Redacted]';

/**
 * Parameter, field and cookie names whose value is a secret (lower case). `api_key` is Threat Grid's,
 * `apikey` and `password` Assemblyline's login, `session` and `xsrf-token` Hopper's login cookies.
 */
const SECRET_PARAMETERS = ['api_key', 'apikey', 'api-key', 'password', 'passwd', 'session', 'xsrf-token', 'xsrf_token'];
/** Header names whose whole value is a secret (lower case). */
const SECRET_HEADERS = ['authorization', 'x-apikey', 'x-xsrf-token', 'cookie', 'set-cookie'];

/** A name is secret when it is one of those, or ends in `password` (`new_password`, `old-password`). */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_PARAMETERS.includes(lower) || SECRET_HEADERS.includes(lower) || /[-_]?password$/.test(lower);
}

// One alternation of every secret name, for the text patterns below (names end in `password` included).
const NAME = String.raw`(?:api[-_]?key|x-apikey|[a-z_-]*pass(?:word|wd)|session|x-xsrf-token|xsrf[-_]token|authorization|set-cookie|cookie)`;

/** `"name": "value"` (JSON), also with a number, literal or array value. */
const JSON_FIELD = new RegExp(
  String.raw`"(${NAME})"(\s*:\s*)("(?:[^"\\]|\\.)*"|\[(?:[^\]"]|"(?:[^"\\]|\\.)*")*\]|-?\d[\d.eE+-]*|true|false)`,
  'gi',
);
/** The same inside a JSON string (an error message quoting a body, as a log line writes it): `\"name\":\"value\"`. */
const ESCAPED_JSON_FIELD = new RegExp(String.raw`\\"(${NAME})\\"(\s*:\s*)(\\"(?:(?!\\").)*\\"|-?\d[\d.eE+-]*)`, 'gi');
/** `name: 'value'` as Node's util.inspect writes an object. */
const INSPECTED_FIELD = new RegExp(String.raw`(?<![\w-])(${NAME})(\s*:\s*)('(?:[^'\\]|\\.)*')`, 'gi');
/** `name=value` in a query string, a urlencoded body or a cookie; the value ends where the parameter does. */
const PARAMETER = new RegExp(String.raw`(?<![\w%-])(${NAME}|api%5fkey)=([^&;\s"'\\#]*)`, 'gi');
/** A multipart form field (`name="api_key"`, a blank line, the value), raw or as a JSON string writes it. */
const MULTIPART_FIELD = new RegExp(String.raw`(name=\\?"${NAME}\\?"(?:\r\n|\\r\\n){2})([^\r\n\\]*)`, 'gi');
/** `Authorization: …`, `X-APIKEY: …`, `Cookie: …` as a header line in text. */
const HEADER_LINE = /(?<![\w-])(authorization|x-apikey|x-xsrf-token|set-cookie|cookie)(\s*:\s*)([^\r\n"\\,}]+)/gi;
/** A Bearer token anywhere (`Authorization: Bearer <user>:<key name>:<secret>`). */
const BEARER = /(\bBearer\s+)([^\s"'\\,;]+)/gi;

/** A cheap first look: most lines name no secret at all and skip the patterns. */
const HINT = /api.?key|api%5fkey|pass|session|xsrf|bearer|authorization|cookie/i;

/**
 * `text` with the value of every secret it names replaced by `[Redacted]`: query and urlencoded parameters,
 * multipart form fields, cookies, JSON fields (also JSON quoted inside a JSON string), inspected objects, header lines and Bearer
 * tokens. Text that names no secret comes back unchanged. Safe on a whole JSON log line: it never cuts an
 * escape sequence, so the line stays valid JSON.
 */
export function redactSecrets(text: string): string {
  if (!HINT.test(text)) return text;
  return text
    .replace(JSON_FIELD, (_m, name: string, colon: string) => `"${name}"${colon}"${REDACTED}"`)
    .replace(ESCAPED_JSON_FIELD, (_m, name: string, colon: string) => `\\"${name}\\"${colon}\\"${REDACTED}\\"`)
    .replace(INSPECTED_FIELD, (_m, name: string, colon: string) => `${name}${colon}'${REDACTED}'`)
    .replace(PARAMETER, (_m, name: string) => `${name}=${REDACTED}`)
    .replace(MULTIPART_FIELD, (_m, head: string) => `${head}${REDACTED}`)
    .replace(BEARER, (_m, bearer: string) => `${bearer}${REDACTED}`)
    .replace(HEADER_LINE, (_m, name: string, colon: string) => `${name}${colon}${REDACTED}`);
}

/**
 * A request URL with the value of every secret query parameter redacted. The names are compared decoded, as
 * Express reads them (`api%5Fkey` is `api_key`), and Threat Grid's `&`-started queries count too.
 */
export function redactUrl(url: string): string {
  return url.replace(/(^|[?&;])([^=&;?#]*)=([^&;#]*)/g, (match: string, start: string, name: string) =>
    isSecretName(decodeName(name)) ? `${start}${name}=${REDACTED}` : match,
  );
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * A copy of `value` with every field whose name is secret replaced by `[Redacted]` and every string redacted
 * as text (`redactSecrets`), at any depth: for parsed query strings and bodies before they are logged.
 */
export function redactSecretFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((item) => redactSecretFields(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = isSecretName(key) ? REDACTED : redactSecretFields(item, depth + 1);
  return out;
}
