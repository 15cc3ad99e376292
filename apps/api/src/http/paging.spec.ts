import { BadRequestException } from '@nestjs/common';
import { MAX_OFFSET, MAX_ROWS, parsePaging } from './paging';

describe('parsePaging', () => {
  it('defaults offset to 0 and rows to the route default', () => {
    expect(parsePaging({}, 100)).toEqual({ offset: 0, rows: 100 });
    expect(parsePaging({ offset: '', rows: '' }, 25)).toEqual({ offset: 0, rows: 25 });
  });

  it('reads both as integers, the first value of a repeated parameter', () => {
    expect(parsePaging({ offset: '40', rows: '20' }, 100)).toEqual({ offset: 40, rows: 20 });
    expect(parsePaging({ offset: ['5', '9'], rows: ['3'] }, 100)).toEqual({ offset: 5, rows: 3 });
    expect(parsePaging({ rows: '0' }, 100)).toEqual({ offset: 0, rows: 0 });
  });

  it.each([
    [{ offset: '-1' }, 'offset must be an integer from 0 to 100000; got "-1"'],
    [{ offset: 'abc' }, 'offset must be an integer from 0 to 100000; got "abc"'],
    [{ offset: String(MAX_OFFSET + 1) }, `offset must be an integer from 0 to 100000; got "${MAX_OFFSET + 1}"`],
    [{ rows: '1.5' }, 'rows must be an integer from 0 to 1000; got "1.5"'],
    [{ rows: String(MAX_ROWS + 1) }, `rows must be an integer from 0 to 1000; got "${MAX_ROWS + 1}"`],
  ])('refuses %j with a message naming the parameter', (query, message) => {
    expect(() => parsePaging(query, 100)).toThrow(new BadRequestException(message));
  });
});
