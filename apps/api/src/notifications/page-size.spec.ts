import { MAX_PAGE_SIZE, parsePageSize } from './page-size';

describe('parsePageSize', () => {
  it('defaults to the cap when absent, empty or -1 (Assemblyline: all messages)', () => {
    expect(parsePageSize(undefined)).toEqual({ pageSize: MAX_PAGE_SIZE });
    expect(parsePageSize('')).toEqual({ pageSize: MAX_PAGE_SIZE });
    expect(parsePageSize('-1')).toEqual({ pageSize: MAX_PAGE_SIZE });
  });

  it('takes positive integers and clamps them to the cap', () => {
    expect(parsePageSize('1')).toEqual({ pageSize: 1 });
    expect(parsePageSize(' 10 ')).toEqual({ pageSize: 10 });
    expect(parsePageSize(String(MAX_PAGE_SIZE * 5))).toEqual({ pageSize: MAX_PAGE_SIZE });
  });

  it.each(['0', '-2', '1.5', 'abc', '1e3', '0x10', '9999999999999999999'])('refuses %p naming page_size', (raw) => {
    const result = parsePageSize(raw);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toContain('page_size');
  });

  it('refuses a repeated parameter', () => {
    expect(parsePageSize(['1', '2'])).toHaveProperty('error');
  });
});
