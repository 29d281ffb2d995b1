/**
 * A time as `Date.prototype.toISOString` writes it (UTC, milliseconds) with every field in range, the day at most the
 * 28th: a string `Date.parse` reads whatever the month, in any engine (ECMA-262's date time string format). Tested
 * first because it costs a fraction of `Date.parse`, which runs for every event a projection reads; any other time
 * (another form, or a day past the 28th) is left to `Date.parse`.
 */
export const PLAIN_UTC_TIME =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** Whether `Date.parse` reads `time` as an instant (not NaN). */
export function isTimestamp(time: string): boolean {
  return PLAIN_UTC_TIME.test(time) || !Number.isNaN(Date.parse(time));
}
