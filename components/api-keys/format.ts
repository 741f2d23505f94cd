import type { Localizer } from '../base/localize.js';

/**
 * Dates for the API keys table, in the user's locale and time zone. Every function takes `now`
 * so expiry and relative times are tested without waiting.
 */

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a date in the local time zone (the value format of `<input type="date">`). */
export function toDateInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The first date a key may expire on: tomorrow, local time. */
export function tomorrow(now: Date = new Date()): string {
  return toDateInputValue(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1));
}

/**
 * The instant a key picked to expire on `dateValue` (`YYYY-MM-DD`) stops working: the last
 * millisecond of that day in the user's time zone, as an ISO 8601 UTC string.
 * Returns `undefined` for a value that is not a real calendar date.
 */
export function endOfLocalDay(dateValue: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateValue);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number);
  const end = new Date(year, month - 1, day, 23, 59, 59, 999);
  if (end.getFullYear() !== year || end.getMonth() !== month - 1 || end.getDate() !== day) return undefined;
  return end.toISOString();
}

export function isExpired(expiresAt: string | null, now: Date = new Date()): boolean {
  return expiresAt !== null && Date.parse(expiresAt) <= now.getTime();
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * DAY_MS],
  ['month', 30 * DAY_MS],
  ['week', 7 * DAY_MS],
  ['day', DAY_MS],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 minutes ago", "yesterday", "now": the largest unit that fits, rounded down. */
export function formatRelative(t: Localizer, iso: string, now: Date = new Date()): string {
  const elapsed = Date.parse(iso) - now.getTime();
  for (const [unit, size] of UNITS) {
    if (Math.abs(elapsed) >= size) return t.relativeTime(Math.trunc(elapsed / size), unit);
  }
  return t.relativeTime(0, 'second');
}
