import { HttpException, HttpStatus } from '@nestjs/common';

/** What a local filestore whose disk is full answers: the server's fault, not the upload's (507, not 400). */
export const STORAGE_FULL = 'Insufficient storage: the filestore is full';

/** Socket errors: the client went away mid-upload, which is the upload's failure, not the server's storage. */
const CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

/**
 * The answer for a failure of this server's own storage met while staging an upload (a system call on the local
 * filestore's disk failed: it carries `syscall`), or null when the failure is the upload's. A full disk is a 507
 * the client may retry later; any other disk fault (EIO, EROFS, EACCES, EMFILE…) stays itself, so it answers a
 * 500 and is logged: a 400 would tell the client its request was wrong.
 */
export function storageFault(error: unknown): Error | null {
  if (!(error instanceof Error)) return null;
  const { syscall, code } = error as Error & { syscall?: unknown; code?: unknown };
  if (typeof syscall !== 'string' || (typeof code === 'string' && CONNECTION_CODES.has(code))) return null;
  if (typeof code === 'string' && FULL_CODES.has(code)) return new HttpException(STORAGE_FULL, HttpStatus.INSUFFICIENT_STORAGE);
  return error;
}
