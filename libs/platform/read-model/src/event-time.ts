/**
 * Event times as read models use them. Times arrive as RFC 3339 strings; the command service writes them in the
 * form `Date.prototype.toISOString` gives, but any RFC 3339 form is valid on the topic (an offset, more digits, a
 * lowercase `t`, a leap second), so they are parsed, never compared as strings.
 */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * The form `toISOString` writes (UTC, milliseconds), on a day that every month has: two such times compare as strings
 * and the day is the first ten characters, without parsing. This is the form events are stamped in, so a batch's
 * fold rarely parses; any other form, days 29 to 31 included, is parsed.
 */
const PLAIN_UTC = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** An instant: milliseconds since the epoch, and the digits below a millisecond (as a fraction of one, 0 ≤ x < 1). */
export interface Instant {
  ms: number;
  below: number;
}

export function instantOf(time: string): Instant {
  const match = RFC3339.exec(time);
  if (!match) throw new RangeError(`not an RFC 3339 time: ${JSON.stringify(time)}`);
  const [, date, hh, mm, ss, fraction = '', zone = 'Z'] = match;
  // A leap second (23:59:60) is the instant a second later than :59, as PostgreSQL reads it.
  const leap = ss === '60' ? 1000 : 0;
  const base = Date.parse(
    `${date}T${hh}:${mm}:${leap ? '59' : ss}.${(fraction + '000').slice(0, 3)}${zone.toUpperCase()}`,
  );
  // Date.parse takes February 30th for March 2nd; PostgreSQL refuses it, and so does this.
  if (Number.isNaN(base) || !dayExists(date))
    throw new RangeError(`not an RFC 3339 time: ${JSON.stringify(time)}`);
  const below = fraction.length > 3 ? Number(`0.${fraction.slice(3)}`) : 0;
  return { ms: base + leap, below };
}

function dayExists(date: string): boolean {
  const [year = NaN, month = NaN, day = NaN] = date.split('-').map(Number);
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day;
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareTimes(a: string, b: string): number {
  if (PLAIN_UTC.test(a) && PLAIN_UTC.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = instantOf(a);
  const y = instantOf(b);
  return x.ms - y.ms || x.below - y.below;
}

/** The later of two times (the first on a tie), either of them null when unknown. */
export function laterTime(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareTimes(b, a) > 0 ? b : a;
}

/** The UTC calendar day (`YYYY-MM-DD`) of a time. */
export function utcDay(time: string): string {
  if (PLAIN_UTC.test(time)) return time.slice(0, 10);
  return new Date(instantOf(time).ms).toISOString().slice(0, 10);
}

/** The instant at millisecond precision, as `toISOString` writes it: what a JS Date (a list cursor, say) holds. */
export function millisecondTime(time: string): string {
  return PLAIN_UTC.test(time) ? time : new Date(instantOf(time).ms).toISOString();
}
