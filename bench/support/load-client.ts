/**
 * The HTTP load of the ingest benchmarks, sent from a child process: a real client lives in another process,
 * and keeping it out of the bench process leaves that process's event loop (and its RSS) to the server
 * being measured. The parent starts it with `LoadClient.start()` and hands it one run at a time.
 *
 * Every request goes through one keep-alive agent with `concurrency` sockets, from `concurrency` loops that
 * each send their next request as soon as the previous answer is read.
 */
import { ChildProcess, fork } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CHUNK_BYTES, fillChunk, multipartEnvelope, multipartForm, PseudoRandomStream } from './upload-body';

export type LoadBody =
  /** The same JSON body every time. */
  | { kind: 'json'; json: string }
  /**
   * A multipart Assemblyline submission whose file is `size` pseudo-random bytes of stream `seed + i` for
   * request i (every file different), streamed in CHUNK_BYTES chunks.
   */
  | { kind: 'upload'; size: number; seed: number; json: string; filename: string }
  /** The same file as `upload`, after the text `fields` (in order) instead of `json`, in the file part `filePart` instead of `bin`. */
  | { kind: 'form'; size: number; seed: number; fields: Array<[string, string]>; filePart: string; filename: string };

export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  n: number;
  concurrency: number;
  body: LoadBody;
}

export interface LoadReport {
  /** Answers by HTTP status. */
  statuses: Record<string, number>;
  /** Up to 8 bodies of 200 answers, in completion order. */
  sample: string[];
  /** Up to 5 failures (status and body, or the error). */
  failures: string[];
}

type Answer = { status: number; body: string };

function send(agent: Agent, spec: LoadSpec, index: number): Promise<Answer> {
  const url = new URL(spec.url);
  return new Promise<Answer>((resolve, reject) => {
    let body: Buffer | Readable;
    let contentType: string;
    let length: number;
    if (spec.body.kind === 'json') {
      body = Buffer.from(spec.body.json);
      contentType = 'application/json';
      length = body.length;
    } else {
      const { size, seed, filename } = spec.body;
      const envelope = spec.body.kind === 'upload' ? multipartEnvelope(spec.body.json, filename) : multipartForm(spec.body.fields, spec.body.filePart, filename);
      contentType = envelope.contentType;
      length = envelope.before.length + size + envelope.after.length;
      body =
        size <= CHUNK_BYTES
          ? Buffer.concat([envelope.before, fillChunk(Buffer.allocUnsafe(size), seed + index, 0), envelope.after])
          : new PseudoRandomStream(size, seed + index, { before: envelope.before, after: envelope.after });
    }
    const request = httpRequest(
      {
        agent,
        method: 'POST',
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers: { ...spec.headers, 'content-type': contentType, 'content-length': String(length) },
      },
      (response) => {
        const parts: Buffer[] = [];
        response.on('data', (chunk: Buffer) => parts.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    if (Buffer.isBuffer(body)) request.end(body);
    else {
      body.on('error', (error) => request.destroy(error));
      body.pipe(request);
    }
  });
}

async function runLoad(spec: LoadSpec): Promise<LoadReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const report: LoadReport = { statuses: {}, sample: [], failures: [] };
  let next = 0;
  const loop = async () => {
    while (next < spec.n) {
      const index = next++;
      try {
        const answer = await send(agent, spec, index);
        report.statuses[answer.status] = (report.statuses[answer.status] ?? 0) + 1;
        if (answer.status === 200) {
          if (report.sample.length < 8) report.sample.push(answer.body);
        } else if (report.failures.length < 5) report.failures.push(`${answer.status} ${answer.body.slice(0, 300)}`);
      } catch (error) {
        report.statuses.error = (report.statuses.error ?? 0) + 1;
        if (report.failures.length < 5) report.failures.push(String(error));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(spec.concurrency, spec.n) }, loop));
  } finally {
    agent.destroy();
  }
  return report;
}

type ToChild = { type: 'run'; spec: LoadSpec };
type FromChild = { type: 'ready' } | { type: 'done'; report: LoadReport } | { type: 'failed'; error: string };

/** The parent's handle on one load-client process. */
export class LoadClient {
  private constructor(private readonly child: ChildProcess) {}

  /** Starts the client process (compiled next to this file) and waits until it listens for runs. */
  static async start(): Promise<LoadClient> {
    const child = fork(join(__dirname, 'load-client.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', (message: FromChild) => (message.type === 'ready' ? resolve() : reject(new Error(JSON.stringify(message)))));
      child.once('exit', (code) => reject(new Error(`the load client exited (${code}) before it was ready`)));
      child.once('error', reject);
    });
    child.removeAllListeners('exit');
    return new LoadClient(child);
  }

  run(spec: LoadSpec): Promise<LoadReport> {
    return new Promise<LoadReport>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the load client exited (${code}) during a run`));
      this.child.once('exit', onExit);
      this.child.once('message', (message: FromChild) => {
        this.child.off('exit', onExit);
        if (message.type === 'done') resolve(message.report);
        else reject(new Error(message.type === 'failed' ? message.error : `unexpected message ${JSON.stringify(message)}`));
      });
      this.child.send({ type: 'run', spec } satisfies ToChild);
    });
  }

  /** Ends the client process (it exits by itself once its IPC channel closes). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** Throws unless every answer was a 200. */
export function expectAllOk(report: LoadReport, n: number, what: string): void {
  if (report.statuses['200'] !== n) {
    throw new Error(`${what}: expected ${n} answers 200, got ${JSON.stringify(report.statuses)}; e.g. ${report.failures.join(' | ')}`);
  }
}

// The child side: run what the parent asks, one run at a time, until the channel closes.
if (require.main === module && process.send) {
  process.on('message', (message: ToChild) => {
    if (message.type !== 'run') return;
    runLoad(message.spec).then(
      (report) => process.send!({ type: 'done', report } satisfies FromChild),
      (error: Error) => process.send!({ type: 'failed', error: error.stack ?? String(error) } satisfies FromChild),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ type: 'ready' } satisfies FromChild);
}
