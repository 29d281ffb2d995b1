/**
 * A time as the API answers it: `toISOString`'s form, UTC with milliseconds. Read models hold times as PostgreSQL
 * writes them (any offset, up to microseconds); the digits below a millisecond are dropped, as a JS Date drops them.
 */
export function apiTime(time: string): string {
  return new Date(time).toISOString();
}

export function apiTimeOrNull(time: string | null): string | null {
  return time === null ? null : apiTime(time);
}
