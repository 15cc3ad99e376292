import { TgError } from '../http/tg-envelope';
import { tgDate } from './tg-date';

const NOW = new Date('2024-03-31T15:20:00Z');
const at = (text: string) => tgDate('after', text, NOW).toISOString();

describe('tgDate', () => {
  it('reads a day as midnight UTC', () => {
    expect(at('2024-01-05')).toBe('2024-01-05T00:00:00.000Z');
    expect(at(' 2024-02-29 ')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('reads ISO 8601 times, in UTC unless they name a zone', () => {
    expect(at('2024-01-05T10:11:12Z')).toBe('2024-01-05T10:11:12.000Z');
    expect(at('2024-01-05T10:11:12')).toBe('2024-01-05T10:11:12.000Z');
    expect(at('2024-01-05 10:11')).toBe('2024-01-05T10:11:00.000Z');
    expect(at('2024-01-05T10:11:12.345678+02:00')).toBe('2024-01-05T08:11:12.345Z');
    expect(at('2024-01-05T10:11:12-0130')).toBe('2024-01-05T11:41:12.000Z');
    expect(at('2024-01-05T10:11:12+05')).toBe('2024-01-05T05:11:12.000Z');
  });

  it('reads the relative words clients send, from now', () => {
    expect(at('now')).toBe('2024-03-31T15:20:00.000Z');
    expect(at('today')).toBe('2024-03-31T00:00:00.000Z');
    expect(at('Yesterday')).toBe('2024-03-30T00:00:00.000Z');
    expect(at('tomorrow')).toBe('2024-04-01T00:00:00.000Z');
    expect(at('30 days ago')).toBe('2024-03-01T15:20:00.000Z');
    expect(at('1 day ago')).toBe('2024-03-30T15:20:00.000Z');
    expect(at('2 hours ago')).toBe('2024-03-31T13:20:00.000Z');
    expect(at('1 week ago')).toBe('2024-03-24T15:20:00.000Z');
    expect(at('1 month ago')).toBe('2024-02-29T15:20:00.000Z');
    expect(at('1 year ago')).toBe('2023-03-31T15:20:00.000Z');
  });

  it('reads "last <unit>" as one unit ago (Cisco\'s 01_get_sids.py sends after="last hour")', () => {
    expect(at('last hour')).toBe('2024-03-31T14:20:00.000Z');
    expect(at('Last  week')).toBe('2024-03-24T15:20:00.000Z');
    expect(at('last month')).toBe('2024-02-29T15:20:00.000Z');
  });

  it('refuses anything else with a 400 naming the parameter', () => {
    for (const text of ['2024-02-30', '2023-02-29', '2024-13-01', '2024-01-05T24:00:00Z', '2024-01-05T10:11:12+25:00', '2024-05-%d', 'last weeks', 'last 2 weeks', '1700000000', '']) {
      let error: unknown;
      try {
        tgDate('before', text, NOW);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TgError);
      expect((error as TgError).getStatus()).toBe(400);
      expect((error as TgError).message).toMatch(/^The parameter before must be a date/);
    }
  });
});
