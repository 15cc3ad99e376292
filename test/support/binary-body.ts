import request from 'supertest';

/**
 * A supertest parser that collects any response body as bytes (downloads are application/octet-stream):
 * `.buffer(true).parse(binaryBody)`.
 */
export function binaryBody(res: request.Response, callback: (error: Error | null, body: unknown) => void): void {
  // In Node, superagent hands the parser the response stream itself.
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}
