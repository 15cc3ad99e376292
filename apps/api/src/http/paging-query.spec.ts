import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { PagingQuery } from './paging-query';

const messages = async (query: Record<string, unknown>) =>
  (await validate(plainToInstance(PagingQuery, query))).flatMap((error) => Object.values(error.constraints ?? {}));

describe('PagingQuery', () => {
  it('takes absent, empty and in-range integers', async () => {
    expect(await messages({})).toEqual([]);
    expect(await messages({ offset: '', rows: '0' })).toEqual([]);
    expect(await messages({ offset: '100000', rows: '1000' })).toEqual([]);
  });

  it("refuses out-of-range or non-integer values with parsePaging's messages, offset first", async () => {
    expect(await messages({ rows: 'many' })).toEqual(['rows must be an integer from 0 to 1000; got "many"']);
    expect(await messages({ rows: '1001' })).toEqual(['rows must be an integer from 0 to 1000; got "1001"']);
    expect(await messages({ offset: '-3', rows: '2.5' })).toEqual(['offset must be an integer from 0 to 100000; got "-3"', 'rows must be an integer from 0 to 1000; got "2.5"']);
  });
});
