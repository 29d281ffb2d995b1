/**
 * An event time in the form `Date.prototype.toISOString` writes (UTC, milliseconds), as the command service stamps
 * events. Two such times compare as strings exactly as they compare as instants; any other ISO 8601 form (an
 * offset, more or fewer digits) must be parsed to be compared.
 */
export function isCanonicalUtc(time: string): boolean {
  return CANONICAL_UTC.test(time);
}

const CANONICAL_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
