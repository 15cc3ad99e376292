import { MongoNetworkError, MongoNotConnectedError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { FilestoreUnavailableError } from '@hopper/filestore';
import { DependencyUnavailable, outageOf } from './dependency-outage';

describe('outageOf', () => {
  it.each([
    ['a network error', new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')],
    ['a server selection time-out', new MongoServerSelectionError('Server selection timed out after 3000 ms', { type: 'Unknown', servers: new Map() } as never)],
    ['a client that is not connected', new MongoNotConnectedError('Client must be connected before running operations')],
    ['a cleared pool', Object.assign(new Error('Connection pool for 127.0.0.1:27017 was cleared'), { name: 'MongoPoolClearedError' })],
    ['mongoose giving up buffering', new Error('Operation `submissions.findOne()` buffering timed out after 10000ms')],
    ['a server shutting down', new MongoServerError({ code: 91, errmsg: 'The server is in quiesce mode and will shut down' })],
  ])('names MongoDB for %s', (_, error) => {
    expect(outageOf(error)).toBe('mongodb');
  });

  it.each([
    ['ioredis giving up a command', Object.assign(new Error('Reached the max retries per request limit (which is 0).'), { name: 'MaxRetriesPerRequestError' })],
    ['a closed connection', new Error('Connection is closed.')],
    ['a command refused offline', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['a server loading its data set', Object.assign(new Error('LOADING Redis is loading the dataset in memory'), { name: 'ReplyError' })],
    ['a replica after a fail-over', Object.assign(new Error("READONLY You can't write against a read only replica."), { name: 'ReplyError' })],
  ])('names Redis for %s', (_, error) => {
    expect(outageOf(error)).toBe('redis');
  });

  it('names the filestore for the S3 filestore\'s unavailability, also wrapped, but not for a bare socket error or a local disk\'s', () => {
    const unreachable = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(outageOf(new FilestoreUnavailableError({ cause: unreachable }))).toBe('filestore');
    expect(outageOf(new Error('could not stage the upload', { cause: new FilestoreUnavailableError({ cause: unreachable }) }))).toBe('filestore');
    expect(outageOf(unreachable)).toBeNull();
    expect(outageOf(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))).toBeNull();
    expect(new DependencyUnavailable('filestore').message).toBe('The filestore cannot be reached right now; retry later');
  });

  it('follows a cause chain and keeps a DependencyUnavailable\'s own dependency', () => {
    expect(outageOf(new Error('could not start the scan', { cause: new Error('Connection is closed.') }))).toBe('redis');
    expect(outageOf(new DependencyUnavailable('mongodb'))).toBe('mongodb');
  });

  it.each([
    ['a document the server refuses', new MongoServerError({ code: 2, errmsg: 'invalid byte sequence for encoding "UTF8": 0x00' })],
    ['a duplicate key', new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error' })],
    ['a code-level error', new TypeError("Cannot read properties of undefined (reading 'sha256')")],
    ['a refused connection of an analysis service', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9999'), { code: 'ECONNREFUSED' })],
    ['something that is not an error', 'Connection is closed.'],
  ])('names nothing for %s', (_, error) => {
    expect(outageOf(error)).toBeNull();
  });
});
