import { S3Error } from 'minio';
import { FilestoreUnavailableError } from './filestore';
import { asS3Outage, isS3Unavailable } from './s3-unavailable';

const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code, syscall: 'connect' });
const s3Error = (code: string) => Object.assign(new S3Error(`${code} answer`), { code });

describe('isS3Unavailable', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN'])('says a socket error %s of the S3 client is an outage', (code) => {
    expect(isS3Unavailable(socketError(code))).toBe(true);
  });

  it.each(['SlowDown', 'ServiceUnavailable', 'InternalError', 'XMinioServerNotInitialized'])('says an S3 answer %s is an outage', (code) => {
    expect(isS3Unavailable(s3Error(code))).toBe(true);
  });

  it.each([503, 500, 502, 504, 429])("says minio-js's give-up after retrying an HTTP %i is an outage", (status) => {
    expect(isS3Unavailable(new Error(`Request failed after 1 retries: Error: Retryable HTTP status: ${status}`))).toBe(true);
  });

  it.each([
    ['an unknown key', s3Error('NoSuchKey')],
    ['refused credentials', s3Error('AccessDenied')],
    ['a full MinIO', s3Error('XMinioStorageFull')],
    ['a code the same as an outage on an error that is not S3\'s', Object.assign(new Error('InternalError'), { code: 'InternalError' })],
    ['an endpoint whose name does not resolve', socketError('ENOTFOUND')],
    ['a local disk that is full', Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })],
    ['a local disk failing', Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })],
    ['a 501 after retries', new Error('Request failed after 1 retries: Error: Retryable HTTP status: 501')],
    ['something that is not an error', 'ECONNREFUSED'],
  ])('says %s is not', (_, error) => {
    expect(isS3Unavailable(error)).toBe(false);
  });
});

describe('asS3Outage', () => {
  it('wraps an outage, keeping the client error as its cause and no address in its message', () => {
    const cause = socketError('ECONNREFUSED');
    const outage = asS3Outage(cause) as FilestoreUnavailableError;
    expect(outage).toBeInstanceOf(FilestoreUnavailableError);
    expect(outage.cause).toBe(cause);
    expect(outage.message).not.toContain('127.0.0.1');
  });

  it('leaves any other error as it is, and an outage already wrapped', () => {
    const notFound = s3Error('NoSuchKey');
    expect(asS3Outage(notFound)).toBe(notFound);
    const wrapped = new FilestoreUnavailableError({ cause: socketError('ECONNRESET') });
    expect(asS3Outage(wrapped)).toBe(wrapped);
  });
});
