// Speaks to the API as the Python assemblyline_client (commit 52e2775) does on the wire, so a test states the
// client's contract: `Connection` in assemblyline_client/__init__.py (login, session cookie, X-XSRF-TOKEN,
// `content-type: application/json` on every request, `response.json()['api_response']`) and `api_path` in
// assemblyline_client/v4_client/common/utils.py (paths with a trailing slash, Python-quoted query values).
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';

/** Headers python-requests sends on every request, plus the client's session default. */
const SESSION_HEADERS = {
  'user-agent': 'python-requests/2.32.3',
  accept: '*/*',
  'accept-encoding': 'gzip, deflate',
  'content-type': 'application/json',
};

/** `repr()` of a client module object: `get_function_kwargs` forgets to exclude `self`, so it reaches the query. */
export const pythonSelfRepr = (module: string, cls: string): string => `<assemblyline_client.v4_client.module.${module}.${cls} object at 0x7f3a5c1d2e50>`;

/** Python's `urllib.parse.quote(value)` (safe `/`), which `api_path` applies to every query value. */
export function pythonQuote(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, '/');
}

/**
 * `api_path(prefix, *args, **kw)`: `api/v4/<prefix>/<args>/` and `k=v` pairs in the given order; a value of
 * null is left out (as None), an empty one is the bare key (as `use_archive=''`).
 */
export function apiPath(prefix: string, args: string[] = [], kw: Array<[string, string | number | null]> = []): string {
  const path = `/${['api', 'v4', prefix, ...args, ''].join('/')}`;
  const params = kw
    .filter(([, value]) => value !== null)
    .map(([key, value]) => {
      const quoted = pythonQuote(String(value));
      return quoted ? `${key}=${quoted}` : key;
    })
    .join('&');
  return params ? `${path}?${params}` : path;
}

/** The client's `convert_api_output`: `response.json()['api_response']`, failing as Python would on another shape. */
export function convertApiOutput(response: request.Response): unknown {
  const body: unknown = JSON.parse(response.text);
  if (Array.isArray(body)) throw new TypeError(`list indices must be integers or slices, not str (GET ${response.request?.url ?? ''})`);
  if (body === null || typeof body !== 'object') throw new TypeError(`'${typeof body}' object is not subscriptable`);
  if (!('api_response' in body)) throw new Error("KeyError: 'api_response'");
  return (body as { api_response: unknown }).api_response;
}

/** The fields `Connection.request` reads from an error answer to raise its ClientError. */
export interface ClientErrorFields {
  status: number;
  api_error_message: unknown;
  api_server_version: unknown;
  api_response: unknown;
}

/** What the client raises on a non-2xx answer (`ClientError(resp_data["api_error_message"], …)`). */
export function clientError(response: request.Response): ClientErrorFields {
  const body = JSON.parse(response.text) as Record<string, unknown>;
  for (const key of ['api_error_message', 'api_server_version', 'api_response']) {
    if (!(key in body)) throw new Error(`KeyError: '${key}'`);
  }
  return { status: response.status, api_error_message: body.api_error_message, api_server_version: body.api_server_version, api_response: body.api_response };
}

export type AlCredentials = { apikey: [string, string] } | { auth: [string, string] };

/** One multipart file part as requests encodes `files={'bin': fh}`: a filename and no Content-Type. */
export interface MultipartFile {
  filename: string;
  data: Buffer;
}

/**
 * requests' multipart encoding of `data={'json': …}, files={'bin': fh}`: the data fields first, then the file,
 * no Content-Type on any part, a 32-hex-digit boundary.
 */
export function requestsMultipart(fields: Record<string, string>, file: MultipartFile): { contentType: string; body: Buffer } {
  const boundary = randomBytes(16).toString('hex');
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="bin"; filename="${file.filename}"\r\n\r\n`), file.data, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

/** What `get_client()` saw while connecting (`Connection.__init__`). */
export interface ConnectTrace {
  /** `_load_public_encryption_key`: `GET api/v3/auth/init/` (a 404 makes the client speak v4). */
  probe: request.Response;
  /** `_authenticate`: `POST api/v4/auth/login/`. */
  login: request.Response;
  /** `self.request(self.session.get, 'api/', convert_api_output)`. */
  versions: request.Response;
}

/**
 * A logged-in `assemblyline_client.Connection`: a cookie session (requests.Session) that copies the
 * `XSRF-TOKEN` cookie of any answer into its `X-XSRF-TOKEN` header, and sends `content-type:
 * application/json` on every request but the multipart ones (where the client passes `content-type: None`).
 */
export class AlClientConnection {
  private xsrf: string | null = null;

  private constructor(private readonly agent: ReturnType<typeof request.agent>) {}

  /** `get_client(server, apikey=(user, key))` or `get_client(server, auth=(user, password))`, step by step. */
  static async connect(server: Server, credentials: AlCredentials): Promise<{ connection: AlClientConnection; trace: ConnectTrace }> {
    const connection = new AlClientConnection(request.agent(server));
    const probe = await connection.get('/api/v3/auth/init/');
    const body = 'apikey' in credentials ? { user: credentials.apikey[0], apikey: credentials.apikey[1] } : { user: credentials.auth[0], password: credentials.auth[1] };
    const login = await connection.post('/api/v4/auth/login/', JSON.stringify(body));
    const versions = await connection.get('/api/');
    return { connection, trace: { probe, login, versions } };
  }

  get(path: string): Promise<request.Response> {
    return this.send(this.agent.get(path));
  }

  delete(path: string): Promise<request.Response> {
    return this.send(this.agent.delete(path));
  }

  /** `data=dumps(body)`: a JSON text under the session's `content-type: application/json`. */
  post(path: string, json: string): Promise<request.Response> {
    return this.send(this.agent.post(path), json);
  }

  /** `data={'json': dumps(body)}, files={'bin': fh}, headers={'content-type': None}`. */
  postMultipart(path: string, json: string, file: MultipartFile): Promise<request.Response> {
    const { contentType, body } = requestsMultipart({ json }, file);
    return this.send(this.agent.post(path), body, contentType);
  }

  /** `raw_output`: the answer's bytes, whatever their type. */
  download(path: string): Promise<request.Response> {
    return this.send(
      this.agent
        .get(path)
        .buffer(true)
        .parse((response, done) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => done(null, Buffer.concat(chunks)));
        }),
    );
  }

  private async send(test: request.Test, body?: string | Buffer, contentType = SESSION_HEADERS['content-type']): Promise<request.Response> {
    test.set({ ...SESSION_HEADERS, 'content-type': contentType });
    if (this.xsrf) test.set('X-XSRF-TOKEN', this.xsrf);
    const response = await (body === undefined ? test : test.send(body));
    const cookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((line) => line.startsWith('XSRF-TOKEN='));
    // requests keeps the cookie's value as sent (no URL-decoding) and echoes it.
    if (cookie) this.xsrf = cookie.split(';')[0].slice('XSRF-TOKEN='.length);
    return response;
  }
}

/** `KNOWN_ERRORS` of assemblyline_client/v4_client/common/submit_utils.py: error type codes it names. */
export const KNOWN_ERRORS: Readonly<Record<string, string>> = {
  '20': 'SERVICE_BUSY',
  '21': 'SERVICE_DOWN',
  '12': 'MAX_RETRY_REACHED',
  '10': 'MAX_EMBEDDED_DEPTH_REACHED',
  '11': 'MAX_FILES_REACHED',
};

/**
 * The line `al_result_to_text` writes for one entry of a full submission's `errors`: the file is `key[:64]`,
 * the service `key[65:]` up to the next dot, and the code after the last `.e` names the error when it is a
 * known one; otherwise the error's `response.status` is shown.
 */
export function alResultErrorLine(key: string, error: { response: { status: string } }): string {
  const sha256 = key.slice(0, 64);
  const service = key.slice(65).split('.')[0];
  const at = key.lastIndexOf('.e');
  // Python's key.rsplit(".e", 1)[1] raises IndexError when there is no ".e".
  if (at < 0) throw new Error(`IndexError: list index out of range (error key ${key})`);
  const code = key.slice(at + 2);
  return `  Service ${service} failed for file ${sha256} [${KNOWN_ERRORS[code] ?? error.response.status}]`;
}

/**
 * What `Classification(definition)` (assemblyline_client/common/classification.py, built by
 * `Client.get_classification_engine()`) reads of the definition it is given, failing as Python would on a
 * missing key; `dynamic_groups_type` must be email, group or all, and each entry needs a name and short_name.
 */
export function classificationEngineReads(definition: Record<string, any>) {
  const read = (key: string) => {
    if (!(key in definition)) throw new Error(`KeyError: '${key}'`);
    return definition[key];
  };
  const entries = (key: string) =>
    (read(key) as Array<Record<string, unknown>>).map((entry) => {
      for (const field of ['short_name', 'name']) if (typeof entry[field] !== 'string') throw new Error(`KeyError: '${field}' in ${key}`);
      return String(entry.short_name).toUpperCase();
    });
  const dynamicGroupsType = read('dynamic_groups_type');
  if (!['email', 'group', 'all'].includes(dynamicGroupsType)) throw new Error(`InvalidDefinition: Invalid dynamic group type "${dynamicGroupsType}"`);
  const levels = (read('levels') as Array<Record<string, unknown>>).map((level) => {
    if (typeof level.short_name !== 'string' || typeof level.name !== 'string') throw new Error("KeyError: 'short_name' in levels");
    return { short_name: level.short_name.toUpperCase(), lvl: Number.parseInt(String(level.lvl), 10) };
  });
  return {
    enforce: read('enforce') as unknown,
    dynamic_groups: read('dynamic_groups') as unknown,
    levels,
    required: entries('required'),
    groups: entries('groups'),
    subgroups: entries('subgroups'),
    unrestricted: read('unrestricted') as unknown,
    restricted: read('restricted') as unknown,
  };
}
