import type { Response } from 'express';
import { AnswerHeaders, withAnswerHeaders } from './answer-headers';

/** A stand-in for Express's response: the headers set on it, and whether they were already sent. */
function fakeResponse(headersSent = false) {
  const set = new Map<string, string>();
  return { set, response: { headersSent, setHeader: (name: string, value: string) => set.set(name, value) } as unknown as Response };
}

describe('AnswerHeaders', () => {
  it('keeps the last value of each header and writes them all', () => {
    const headers = new AnswerHeaders();
    headers.setHeader('X-A', '1');
    headers.setHeader('X-B', '2');
    headers.setHeader('X-A', '3');
    const { set, response } = fakeResponse();
    headers.writeTo(response);
    expect([...set]).toEqual([
      ['X-A', '3'],
      ['X-B', '2'],
    ]);
  });

  it("sends a service's headers with its answer", async () => {
    const { set, response } = fakeResponse();
    const answer = await withAnswerHeaders(response, async (headers) => {
      headers.setHeader('X-Remaining-Quota-Submission', '4');
      return { ok: true };
    });
    expect(answer).toEqual({ ok: true });
    expect(set.get('X-Remaining-Quota-Submission')).toBe('4');
  });

  it('sends them with a refusal too, and rethrows it', async () => {
    const { set, response } = fakeResponse();
    const refusal = new Error('quota full');
    await expect(
      withAnswerHeaders(response, async (headers) => {
        headers.setHeader('X-Remaining-Quota-Submission', '0');
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(set.get('X-Remaining-Quota-Submission')).toBe('0');
  });

  it('leaves a response whose headers are already sent alone', async () => {
    const { set, response } = fakeResponse(true);
    await withAnswerHeaders(response, async (headers) => headers.setHeader('X-A', '1'));
    expect(set.size).toBe(0);
  });
});
