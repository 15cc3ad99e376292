import type { Response } from 'express';

/** Where headers are set: an HTTP response, or the AnswerHeaders a service fills. */
export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/**
 * The headers a service decides for its answer (the remaining quota, Threat Grid's rate limits). Services
 * fill one and never touch the HTTP response; the controller sends them, with the answer or with a refusal.
 */
export class AnswerHeaders implements HeaderSink {
  private readonly values = new Map<string, string>();

  setHeader(name: string, value: string): void {
    this.values.set(name, value);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  writeTo(response: HeaderSink): void {
    for (const [name, value] of this.values) response.setHeader(name, value);
  }
}

/**
 * A controller's call of a service that decides headers: the headers it set are sent whether it answers or
 * refuses (a full quota's 503 still says how many submissions are left today).
 */
export async function withAnswerHeaders<T>(response: Response, call: (headers: AnswerHeaders) => Promise<T>): Promise<T> {
  const headers = new AnswerHeaders();
  try {
    return await call(headers);
  } finally {
    if (!response.headersSent) headers.writeTo(response);
  }
}
