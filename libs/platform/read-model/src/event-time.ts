/**
 * Event times as read models use them. Times arrive as RFC 3339 strings; the command service writes them in the
 * form `Date.prototype.toISOString` gives, but any RFC 3339 form is valid on the topic (an offset, more digits, a
 * lowercase `t`, a leap second), so they are parsed, never compared as strings.
 */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

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
  if (Number.isNaN(base)) throw new RangeError(`not an RFC 3339 time: ${JSON.stringify(time)}`);
  const below = fraction.length > 3 ? Number(`0.${fraction.slice(3)}`) : 0;
  return { ms: base + leap, below };
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareTimes(a: string, b: string): number {
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
  return new Date(instantOf(time).ms).toISOString().slice(0, 10);
}
