import { TgError } from '../http/tg-envelope';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const AGO = /^(\d{1,6})\s*(second|minute|hour|day|week|month|year)s?\s+ago$/i;
const LAST = /^last\s+(second|minute|hour|day|week|month|year)$/i;
const UNIT_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

/**
 * A Threat Grid `before`/`after` value as a time: `YYYY-MM-DD` (midnight UTC), an ISO 8601 time (UTC when it
 * names no zone), or the relative words Threat Grid also takes and clients send (`now`, `today`,
 * `yesterday`, `tomorrow`, `30 days ago`: err-threatgrid's defaults; `last hour`: Cisco's 01_get_sids.py, one unit
 * ago), counted from `now`. Anything else is a
 * 400 naming the parameter.
 */
export function tgDate(name: string, text: string, now: Date): Date {
  const value = text.trim();
  const date = absolute(value) ?? relative(value, now);
  if (!date) {
    throw new TgError(
      `The parameter ${name} must be a date (YYYY-MM-DD), an ISO 8601 time, or a relative time such as "30 days ago" (got ${JSON.stringify(text)}).`,
      400,
    );
  }
  return date;
}

function absolute(value: string): Date | null {
  const day = DAY.exec(value);
  if (day) return validDay(day[1], day[2], day[3]) ? new Date(`${value}T00:00:00Z`) : null;
  const time = TIME.exec(value);
  if (!time) return null;
  const [, year, month, dayOfMonth, hour, minute, second = '00', fraction = '', zone = 'Z'] = time;
  if (!validDay(year, month, dayOfMonth) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zoneOffset(zone);
  if (!offset) return null;
  // Milliseconds are all a Date keeps; the digits beyond are dropped, not rounded.
  const date = new Date(`${year}-${month}-${dayOfMonth}T${hour}:${minute}:${second}${fraction.slice(0, 4)}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `+02`, `+0200` or `+02:00` as `+02:00`; null when out of range. */
function zoneOffset(zone: string): string | null {
  const digits = zone.slice(1).replace(':', '');
  const hours = digits.slice(0, 2);
  const minutes = digits.slice(2) || '00';
  if (minutes.length !== 2 || Number(hours) > 23 || Number(minutes) > 59) return null;
  return `${zone[0]}${hours}:${minutes}`;
}

/** The calendar has this day (no 2023-02-29, no month 13). */
function validDay(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

function relative(value: string, now: Date): Date | null {
  const word = value.toLowerCase();
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (word === 'now') return new Date(now.getTime());
  if (word === 'today') return new Date(midnight);
  if (word === 'yesterday') return new Date(midnight - UNIT_MS.day);
  if (word === 'tomorrow') return new Date(midnight + UNIT_MS.day);
  const ago = AGO.exec(value);
  const last = LAST.exec(value);
  const unit = (ago?.[2] ?? last?.[1])?.toLowerCase();
  if (!unit) return null;
  const count = ago ? Number(ago[1]) : 1;
  if (unit === 'month' || unit === 'year') return monthsBefore(now, unit === 'year' ? count * 12 : count);
  return new Date(now.getTime() - count * UNIT_MS[unit]);
}

/** Calendar months back, the day clamped to the month's last (a month before 31 March is 28 or 29 February). */
function monthsBefore(now: Date, months: number): Date {
  const date = new Date(now.getTime());
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(now.getUTCDate(), lastDay));
  return date;
}
