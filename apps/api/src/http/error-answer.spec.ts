import { BadRequestException } from '@nestjs/common';
import { MongoServerError, MongoServerSelectionError } from 'mongodb';
import { FilestoreUnavailableError } from '@hopper/filestore';
import { FileBeingDeletedError } from '@hopper/queues';
import { errorAnswer } from './error-answer';

describe('errorAnswer', () => {
  it('answers a database outage with 503 and Retry-After, not a 500', () => {
    const outage = new MongoServerSelectionError('Server selection timed out after 3000 ms', { type: 'Unknown', servers: new Map() } as never);
    expect(errorAnswer(outage, 'Internal server error')).toEqual({
      status: 503,
      message: 'The database is unavailable; retry in 5 seconds',
      unexpected: false,
      headers: { 'Retry-After': '5' },
    });
  });

  it('answers a Redis outage with 503 and Retry-After', () => {
    const answer = errorAnswer(new Error('Connection is closed.'), 'Internal server error');
    expect([answer.status, answer.headers]).toEqual([503, { 'Retry-After': '5' }]);
  });

  it('answers a filestore outage with 503 and Retry-After, naming no address', () => {
    const outage = new FilestoreUnavailableError({ cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:9000'), { code: 'ECONNREFUSED' }) });
    expect(errorAnswer(outage, 'Internal server error')).toEqual({
      status: 503,
      message: 'The filestore is unavailable; retry in 5 seconds',
      unexpected: false,
      headers: { 'Retry-After': '5' },
    });
  });

  it('answers a file still being deleted after the wait with 503 and Retry-After (the next try stores it anew)', () => {
    expect(errorAnswer(new FileBeingDeletedError('a'.repeat(64)), 'Internal server error')).toEqual({
      status: 503,
      message: 'The file is being deleted; retry in 5 seconds',
      unexpected: false,
      headers: { 'Retry-After': '5' },
    });
  });

  it('keeps a document the database refuses a 500 (retrying would not mend it)', () => {
    const refused = new MongoServerError({ code: 2, errmsg: 'invalid byte sequence for encoding "UTF8": 0x00' });
    expect(errorAnswer(refused, 'Internal server error')).toEqual({ status: 500, message: 'Internal server error', unexpected: true, headers: {} });
  });

  it('keeps an HttpException its own', () => {
    expect(errorAnswer(new BadRequestException('Invalid filename'), 'x')).toEqual({ status: 400, message: 'Invalid filename', unexpected: false, headers: {} });
  });
});
