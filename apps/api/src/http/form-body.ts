import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import { readCappedBody } from './capped-body';
import type { NextFunction, Request, Response } from 'express';

/** A request whose urlencoded body was read: every field with all its values, in order. */
export type FormBodyRequest = Request & { formBody?: Map<string, string[]>; formBodyError?: HttpException; _body?: boolean };

const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads `application/x-www-form-urlencoded` bodies, on every method: Threat Grid clients (pythreatgrid) send
 * their `api_key` in the body of a GET. Bodies over `maxBytes` or not UTF-8 are recorded as a 4xx that the
 * route's interceptor throws in its own envelope, like strictJsonBody's.
 */
export function formBody(maxBytes: number) {
  return (req: FormBodyRequest, _res: Response, next: NextFunction): void => {
    if (req._body || !FORM_TYPE.test(req.headers['content-type'] ?? '')) return next();
    req._body = true;
    const tooLarge = () => new PayloadTooLargeException(`The form body is larger than ${maxBytes} bytes`);
    readCappedBody(req, maxBytes, tooLarge, (error, raw) => {
      if (error) req.formBodyError = error;
      else {
        try {
          req.formBody = parseForm(utf8.decode(raw));
        } catch {
          req.formBodyError = new BadRequestException('The form body is not valid UTF-8');
        }
      }
      next();
    });
  };
}

/** Parses `a=1&b=2&a=3`; throws URIError on a percent-escape that is not UTF-8 (URLSearchParams would hide it). */
function parseForm(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const [name, value] = (at === -1 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)]).map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
    fields.set(name, [...(fields.get(name) ?? []), value]);
  }
  return fields;
}

/** Throws the body error recorded by formBody, if any. */
export function assertFormBodyAccepted(req: FormBodyRequest): void {
  if (req.formBodyError) throw req.formBodyError;
}
