import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import { readCappedBody } from './capped-body';
import type { NextFunction, Request, Response } from 'express';
import { parseJsonValue } from './strict-json';

/** A request whose JSON body could not be accepted; the route's own error format reports it. */
export type JsonBodyRequest = Request & { jsonBodyError?: HttpException; _body?: boolean };

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads JSON bodies strictly, instead of Express's parser, which replaces bytes that are not UTF-8 and
 * answers bad JSON with an HTML page. The body is read up to `maxBytes`; invalid UTF-8, invalid JSON,
 * NaN/Infinity, over-deep nesting and over-size bodies are recorded on the request as a 4xx that the
 * route's interceptor throws, so each API family answers in its own envelope. An empty body is no body.
 */
export function strictJsonBody(maxBytes: number) {
  return (req: JsonBodyRequest, _res: Response, next: NextFunction): void => {
    if (req._body || !JSON_TYPE.test(req.headers['content-type'] ?? '')) return next();
    req._body = true; // marks the body as read, for any parser a route adds later
    readCappedBody(req, maxBytes, () => tooLarge(maxBytes), (error, raw) => {
      if (error) req.jsonBodyError = error;
      else req.body = decode(raw, (e) => (req.jsonBodyError = e));
      next();
    });
  };
}

function tooLarge(maxBytes: number): HttpException {
  return new PayloadTooLargeException(`The JSON body is larger than ${maxBytes} bytes`);
}

function decode(raw: Buffer, onError: (error: HttpException) => void): unknown {
  if (raw.length === 0) return undefined;
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    onError(new BadRequestException('The JSON body is not valid UTF-8'));
    return undefined;
  }
  try {
    return parseJsonValue(text, 'JSON body');
  } catch (error) {
    onError(error as HttpException);
    return undefined;
  }
}

/** Throws the body error recorded by strictJsonBody, if any (called by each API family's interceptor). */
export function assertJsonBodyAccepted(req: JsonBodyRequest): void {
  if (req.jsonBodyError) throw req.jsonBodyError;
}
