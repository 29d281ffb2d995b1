import { z } from 'zod';
import { validationProblem } from '@tandem/platform/http';

/** Refuses query parameters a route does not know, naming each, so a typo is never a silently ignored filter. */
export function rejectUnknownParams(params: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(params).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw validationProblem(
      unknown.map((field) => ({
        field,
        message: `is not a parameter of this route (known: ${known.join(', ')})`,
      })),
    );
  }
}

/**
 * The one parser of calendar days in query parameters (`2026-11-28`): a real day of the Gregorian calendar, so
 * `2026-02-30` is a 400 on every route rather than March 2nd on some.
 */
export const CalendarDay = z.iso.date({ message: 'must be a real date as YYYY-MM-DD' });

/**
 * A bound of a time range: a calendar day (a whole UTC day; `to` of a day covers that whole day) or an ISO 8601
 * date-time with offset, both real dates.
 */
export function instantBound(bound: 'from' | 'to') {
  const DateTime = z.iso.datetime({ offset: true });
  return z
    .string()
    .refine((v) => CalendarDay.safeParse(v).success || DateTime.safeParse(v).success, {
      message: 'must be a real date (YYYY-MM-DD) or an ISO 8601 date-time with offset',
    })
    .transform((v) => {
      const isDay = CalendarDay.safeParse(v).success;
      const date = new Date(isDay ? `${v}T00:00:00Z` : v);
      if (bound === 'to' && isDay) date.setUTCDate(date.getUTCDate() + 1);
      return date;
    });
}
