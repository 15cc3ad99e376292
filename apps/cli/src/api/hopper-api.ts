import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import http, { IncomingMessage } from 'node:http';
import https from 'node:https';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ServerSettings } from './server-settings';

/** A refusal by the API (any non-2xx), with the envelope's message; `retryAfterSeconds` when it said when to retry. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth sending again: the server is busy, a dependency is down, or the quota is full for now. */
  get transient(): boolean {
    return this.status === 503 || this.status === 429 || this.status === 502 || this.status === 504;
  }
}

/** What a file upload needs: the file on disk (streamed, never read whole) and the ingest data block. */
export interface FileUpload {
  path: string;
  size: number;
  /** The `json` part (Assemblyline's data block: name, params, metadata, notification_queue…). */
  data: Record<string, unknown>;
  /** Sent as `Idempotency-Key`: a retry of the same upload answers the first one's ingest_id. */
  idempotencyKey: string;
  /** Called with each chunk's byte count as it leaves for the server. */
  onBytes?: (bytes: number) => void;
  signal?: AbortSignal;
}

export interface UploadAnswer {
  ingestId: string;
  /** Computed while the file streamed out: no second read. */
  sha256: string;
}

/**
 * The Hopper API over HTTP, spoken as assemblyline_client does: `x-user` + `x-apikey` on every request,
 * answers in `{api_response, api_error_message, …}`, uploads as multipart `json` + `bin` to
 * `POST /api/v4/ingest/`. The API key travels only in the header; nothing here prints it.
 */
export class HopperApi {
  private readonly base: URL;

  constructor(private readonly settings: ServerSettings) {
    this.base = new URL(settings.url.endsWith('/') ? settings.url : `${settings.url}/`);
  }

  /** `GET <path>` and its `api_response`. */
  async getJson<T = unknown>(path: string): Promise<T> {
    const response = await this.send('GET', path, {});
    const body = await readBody(response);
    if (!isOk(response)) throw apiError(response, body);
    return envelopeResponse<T>(body, response);
  }

  /** `GET <path>` streamed into the sink `open` makes once the answer is a success (a refusal opens none). */
  async download(path: string, open: () => Writable): Promise<{ filename: string | null; bytes: number }> {
    const response = await this.send('GET', path, {});
    if (!isOk(response)) throw apiError(response, await readBody(response));
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(response, counter, open());
    const disposition = String(response.headers['content-disposition'] ?? '');
    const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? null;
    return { filename, bytes };
  }

  /**
   * `POST /api/v4/ingest/` with `json` then `bin` (the file streamed from disk with a known Content-Length,
   * hashed on the way); answers the ingest_id.
   */
  async ingestFile(upload: FileUpload): Promise<UploadAnswer> {
    const boundary = `hopper${randomBytes(16).toString('hex')}`;
    const name = upload.data.name ? String(upload.data.name) : 'file';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="json"\r\n\r\n${JSON.stringify(upload.data)}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="bin"; filename="${quoteFilename(name)}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const request = this.open('POST', 'api/v4/ingest/', {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(head.length + upload.size + tail.length),
      'idempotency-key': upload.idempotencyKey,
    }, upload.signal);
    const answered = answerOf(request);
    answered.catch(() => undefined); // awaited below, after the body is written
    const hash = createHash('sha256');
    const file = createReadStream(upload.path);
    const body = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        upload.onBytes?.(chunk.length);
        done(null, chunk);
      },
      flush(done) {
        done(null, tail);
      },
    });
    request.write(head);
    try {
      await pipeline(file, body, request);
    } catch (error) {
      // The server may answer (e.g. 413) and close before the file is all sent: its answer is the better error.
      const early = await Promise.race([answered, new Promise<null>((resolve) => setTimeout(() => resolve(null), 50))]).catch(() => null);
      if (early && !isOk(early)) throw apiError(early, await readBody(early));
      throw error;
    }
    const response = await answered;
    const text = await readBody(response);
    if (!isOk(response)) throw apiError(response, text);
    const answer = envelopeResponse<{ ingest_id?: unknown }>(text, response);
    if (typeof answer?.ingest_id !== 'string') throw new ApiError(response.statusCode ?? 0, 'The server answered the ingest without an ingest_id');
    return { ingestId: answer.ingest_id, sha256: hash.digest('hex') };
  }

  private async send(method: string, path: string, headers: Record<string, string>): Promise<IncomingMessage> {
    const request = this.open(method, path, headers);
    const answered = answerOf(request);
    request.end();
    return answered;
  }

  private open(method: string, path: string, headers: Record<string, string>, signal?: AbortSignal) {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const transport = url.protocol === 'https:' ? https : http;
    return transport.request(url, {
      method,
      signal,
      headers: { accept: 'application/json', 'user-agent': 'hopper-cli', 'x-user': this.settings.user, 'x-apikey': this.settings.apikey, ...headers },
    });
  }
}

const isOk = (response: IncomingMessage) => (response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300;

function answerOf(request: http.ClientRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
}

async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function envelopeResponse<T>(text: string, response: IncomingMessage): T {
  try {
    return (JSON.parse(text) as { api_response: T }).api_response;
  } catch {
    throw new ApiError(response.statusCode ?? 0, `The server answered ${response.statusCode} with something that is not JSON`);
  }
}

/** The envelope's `api_error_message` (Assemblyline), else Nest's `message`, else the status line. */
function apiError(response: IncomingMessage, text: string): ApiError {
  const status = response.statusCode ?? 0;
  let message = `${status} ${response.statusMessage ?? ''}`.trim();
  try {
    const body = JSON.parse(text) as { api_error_message?: unknown; message?: unknown };
    if (typeof body.api_error_message === 'string' && body.api_error_message) message = `${status}: ${body.api_error_message}`;
    else if (typeof body.message === 'string') message = `${status}: ${body.message}`;
  } catch {
    // not JSON: keep the status line
  }
  const retryAfter = Number(response.headers['retry-after']);
  return new ApiError(status, message, Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null);
}

/**
 * A filename safe inside the quoted `filename="…"` of a part header (ASCII only: the data block's `name`,
 * which the API prefers, carries the real one).
 */
function quoteFilename(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}
