import { BadRequestException, HttpException } from '@nestjs/common';
import { TgError } from '../http/tg-envelope';
import { CONCURRENT_QUOTA_RETRY_AFTER_SECONDS, tgQuotaRefusal } from './quota-refusal';

describe('tgQuotaRefusal', () => {
  const now = new Date('2026-03-01T23:59:00.500Z');

  it('turns the concurrent quota\'s 503 into a 429 with Retry-After, keeping the message', () => {
    const refusal = tgQuotaRefusal(new HttpException("You've exceeded your maximum concurrent submission quota of 2", 503), now);
    expect(refusal).toBeInstanceOf(TgError);
    expect(refusal!.getStatus()).toBe(429);
    expect(refusal!.message).toBe("You've exceeded your maximum concurrent submission quota of 2");
    expect(refusal!.headers).toEqual({ 'Retry-After': String(CONCURRENT_QUOTA_RETRY_AFTER_SECONDS) });
    expect(refusal!.details).toEqual([{ code: 429, message: `You've exceeded your maximum concurrent submission quota of 2; retry after ${CONCURRENT_QUOTA_RETRY_AFTER_SECONDS} seconds.` }]);
  });

  it('makes a daily refusal wait for the next UTC day, in whole seconds', () => {
    const refusal = tgQuotaRefusal(new HttpException("You've reached your daily maximum submission quota of 5", 503), now);
    expect(refusal!.headers).toEqual({ 'Retry-After': '60' }); // 59.5 s to midnight, rounded up
  });

  it('leaves other errors alone', () => {
    expect(tgQuotaRefusal(new BadRequestException('bad'), now)).toBeNull();
    expect(tgQuotaRefusal(new Error('boom'), now)).toBeNull();
  });
});
