import { BadRequestException, HttpException } from '@nestjs/common';
import type { Request } from 'express';

/**
 * Reads a whole request body of at most `maxBytes` (bodies the route parses itself: JSON, urlencoded forms),
 * then calls `done` once: with the bytes, or with `tooLarge()` (the rest is drained so the answer is not
 * stuck behind it) or a read error.
 */
export function readCappedBody(req: Request, maxBytes: number, tooLarge: () => HttpException, done: (error: HttpException | null, raw: Buffer) => void): void {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return done(tooLarge(), Buffer.alloc(0));
  }
  const parts: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (error: HttpException | null) => {
    if (finished) return;
    finished = true;
    done(error, error ? Buffer.alloc(0) : Buffer.concat(parts, size));
  };
  req.on('data', (chunk: Buffer) => {
    if (finished) return;
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      return finish(tooLarge());
    }
    parts.push(chunk);
  });
  req.on('end', () => finish(null));
  req.on('error', () => finish(new BadRequestException('The request body could not be read')));
}
