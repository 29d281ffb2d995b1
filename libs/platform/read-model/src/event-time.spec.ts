import { compareTimes, instantOf, laterTime, utcDay } from './event-time';

describe('event times', () => {
  it('compares RFC 3339 times as instants, below the millisecond too', () => {
    expect(compareTimes('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.1Z')).toBeLessThan(0);
    expect(compareTimes('2026-01-01T00:00:00.123456Z', '2026-01-01T00:00:00.123455Z')).toBeGreaterThan(0);
    expect(compareTimes('2026-01-01T02:00:00+02:00', '2026-01-01T00:00:00.000Z')).toBe(0);
    expect(laterTime('2026-01-01T00:00:00.5Z', '2026-01-01T00:00:00.50Z')).toBe('2026-01-01T00:00:00.5Z');
    expect(laterTime(null, '2026-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00Z');
  });

  it('takes the UTC day, across offsets, lowercase letters and a leap second', () => {
    expect(utcDay('2026-01-01T23:30:00-01:00')).toBe('2026-01-02');
    expect(utcDay('2026-01-01t00:30:00+01:00')).toBe('2025-12-31');
    expect(utcDay('2026-06-30T23:59:60Z')).toBe('2026-07-01');
    expect(instantOf('2026-06-30T23:59:60.5z').ms).toBe(Date.parse('2026-07-01T00:00:00.500Z'));
  });

  it('refuses what is not an RFC 3339 time', () => {
    expect(() => utcDay('yesterday')).toThrow(/not an RFC 3339 time/);
    expect(() => utcDay('2026-13-01T00:00:00Z')).toThrow(/not an RFC 3339 time/);
  });
});
