// What the Threat Grid e2e tests share: the client's api_key, a sandbox service's manifest, playing that
// sandbox (taking its task off its queue, as the service would), and requests as Python's `requests` builds
// them (every Threat Grid client and script uses it).
import { Job, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { HopperConfig } from '@hopper/config';
import { ExternalServiceTask, externalServiceQueue } from '@hopper/services';
import type { TestUser } from './api-app';
import { eventually } from './ingester-harness';

/** The Threat Grid api_key of a test user: `<uname>:<key name>:<secret>`. */
export const tgKey = (user: TestUser): string => `${user.uname}:${user.apikey}`;

/**
 * An external sandbox that takes only PDFs (so other samples complete with the built-in services alone),
 * declares the Threat Grid options as parameters and posts supplementary files.
 */
export function sandboxManifest(name: string): Record<string, unknown> {
  return {
    name,
    version: '1.0.0',
    category: 'Dynamic Analysis',
    stage: 'CORE',
    accepts: 'document/pdf',
    timeout_seconds: 120,
    produces_supplementary: true,
    parameters: [
      { name: 'vm', type: 'str', default: '' },
      { name: 'playbook', type: 'str', default: '' },
      { name: 'network_exit', type: 'str', default: '' },
    ],
  };
}

/** Takes the next task off `service`'s queue, as the service would, and answers it (waiting with `wait`). */
export async function takeServiceTask(
  config: HopperConfig,
  connection: IORedis,
  service: string,
  wait: <T>(read: () => Promise<T>, done: (value: T) => boolean) => Promise<T> = eventually,
): Promise<ExternalServiceTask> {
  let task: ExternalServiceTask | null = null;
  const worker = new Worker<ExternalServiceTask>(
    externalServiceQueue(service),
    async (job: Job<ExternalServiceTask>) => {
      task = job.data;
    },
    { connection, prefix: config.redis.prefix },
  );
  try {
    await wait(async () => task, (value) => value !== null);
  } finally {
    await worker.close();
  }
  return task as unknown as ExternalServiceTask;
}

// ---- Requests as Python's `requests` 2.x builds them (every Threat Grid client and script uses it) ----

/** The headers python-requests sends on every call. */
export const PYTHON_REQUESTS_HEADERS: Readonly<Record<string, string>> = {
  'User-Agent': 'python-requests/2.31.0',
  Accept: '*/*',
  'Accept-Encoding': 'gzip, deflate',
};

/** A value of a `data=` / `params=` dict: requests sends str() of it (True → "True"), a list as the field repeated. */
export type PythonValue = string | number | boolean | Array<string | number | boolean>;

const pythonStr = (value: string | number | boolean): string => (typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value));

/** The (name, value) pairs requests makes of a dict, in the dict's order, lists repeated. */
export function pythonPairs(data: Record<string, PythonValue>): [string, string][] {
  return Object.entries(data).flatMap(([name, value]) => [value].flat().map((one): [string, string] => [name, pythonStr(one)]));
}

/** `data=dict` on its own: an urlencoded body (urllib's quote_plus: a space is "+"). */
export function pythonForm(data: Record<string, PythonValue>): string {
  return new URLSearchParams(pythonPairs(data)).toString();
}

/** Python's `json.dumps` of a list of strings (", " between the items), as scripts put sample ids in a field. */
export const pythonJsonList = (items: string[]): string => `[${items.map((item) => JSON.stringify(item)).join(', ')}]`;

/**
 * `requests.post(url, files=files, data=data)`: a multipart body with the data fields first (dict order, lists
 * repeated), then the files; no part has a Content-Type of its own, a file part's filename is the one given
 * (requests takes the basename of an open file's name; a bare bytes value is named after its field).
 */
export function pythonMultipart(data: Record<string, PythonValue>, files: Record<string, { filename: string; content: Buffer | string }>): { body: Buffer; contentType: string } {
  const boundary = randomBytes(16).toString('hex');
  const parts: Buffer[] = [];
  for (const [name, value] of pythonPairs(data)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const [name, file] of Object.entries(files)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${file.filename}"\r\n\r\n`));
    parts.push(Buffer.from(file.content), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
