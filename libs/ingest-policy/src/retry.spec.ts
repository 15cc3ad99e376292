import { retryDecision } from './retry';

const limits = { max_retries: 10, retry_delay_seconds: 240, expire_after: 1000 };

describe('retryDecision', () => {
  it('retries with the count raised by one after the configured delay', () => {
    expect(retryDecision(0, 0, limits)).toEqual({ retry: true, retries: 1, delaySeconds: 240 });
    expect(retryDecision(9, 999, limits)).toEqual({ retry: true, retries: 10, delaySeconds: 240 });
  });

  it('gives up once the count would pass max_retries', () => {
    expect(retryDecision(10, 0, limits)).toEqual({ retry: false, reason: 'max_retries' });
  });

  it('gives up on an ingest that has waited expire_after or longer', () => {
    expect(retryDecision(0, 1000, limits)).toEqual({ retry: false, reason: 'expired' });
  });
});
