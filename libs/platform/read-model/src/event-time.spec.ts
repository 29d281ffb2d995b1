import { compareTimes, instantOf, laterTime, millisecondTime, utcDay } from './event-time';

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

  it('takes the plain UTC form without parsing it, and gives the same answers as for any other form', () => {
    expect(compareTimes('2026-01-01T00:00:00.001Z', '2026-01-01T00:00:00.000Z')).toBeGreaterThan(0);
    expect(compareTimes('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).toBe(0);
    expect(laterTime('2026-01-02T00:00:00.000Z', '2026-01-01T23:59:59.999Z')).toBe(
      '2026-01-02T00:00:00.000Z',
    );
    expect(compareTimes('2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000+01:00')).toBe(0);
    expect(utcDay('2026-02-28T23:59:59.999Z')).toBe('2026-02-28');
    expect(utcDay('2024-02-29T12:00:00.000Z')).toBe('2024-02-29');
    expect(utcDay('2026-01-31T23:00:00.000Z')).toBe('2026-01-31');
  });

  it('cuts a time to the millisecond, as a JS Date holds it', () => {
    expect(millisecondTime('2026-11-28T11:00:00.123456+01:00')).toBe('2026-11-28T10:00:00.123Z');
    expect(millisecondTime('2026-11-28T10:00:00.123Z')).toBe('2026-11-28T10:00:00.123Z');
    expect(millisecondTime('2026-06-30T23:59:60.5Z')).toBe('2026-07-01T00:00:00.500Z');
  });

  it('refuses a day the month does not have, as PostgreSQL does', () => {
    expect(() => utcDay('2026-02-30T00:00:00.000Z')).toThrow(/not an RFC 3339 time/);
    expect(() => utcDay('2026-02-29T00:00:00Z')).toThrow(/not an RFC 3339 time/);
    expect(() => compareTimes('2026-04-31T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).toThrow(
      /not an RFC 3339/,
    );
  });

  it('refuses what is not an RFC 3339 time', () => {
    expect(() => utcDay('yesterday')).toThrow(/not an RFC 3339 time/);
    expect(() => utcDay('2026-13-01T00:00:00Z')).toThrow(/not an RFC 3339 time/);
  });
});
