import { isTimestamp, PLAIN_UTC_TIME } from './timestamps';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

describe('isTimestamp', () => {
  it('answers as Date.parse does', () => {
    const times = [
      '2026-01-01T00:00:00.000Z',
      '2026-02-31T10:00:00.000Z', // past the fast check's 28th: Date.parse decides
      '2026-01-01T10:00:00Z',
      '2026-01-01T10:00:00.000+02:00',
      '2026-01-01',
      '2026-13-01T00:00:00.000Z',
      '2026-01-32T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T23:60:00.000Z',
      '2026-01-01T00:00:00.000z',
      ' 2026-01-01T00:00:00.000Z',
      'yesterday',
      '',
    ];
    for (const time of times)
      expect([time, isTimestamp(time)]).toEqual([time, !Number.isNaN(Date.parse(time))]);
  });

  // The fast check accepts only what Date.parse reads: every value of each field it lets through.
  it('accepts only times Date.parse reads', () => {
    const accepted: string[] = [];
    for (let year = 0; year <= 9999; year += 1) accepted.push(`${pad(year, 4)}-12-28T23:59:59.999Z`);
    for (let month = 1; month <= 12; month += 1)
      for (let day = 1; day <= 28; day += 1)
        accepted.push(`2024-${pad(month, 2)}-${pad(day, 2)}T00:00:00.000Z`);
    for (let hour = 0; hour <= 23; hour += 1)
      for (let minute = 0; minute <= 59; minute += 1)
        for (let second = 0; second <= 59; second += 5)
          accepted.push(`0000-02-28T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.000Z`);
    for (let second = 0; second <= 59; second += 1) accepted.push(`9999-01-01T00:00:${pad(second, 2)}.000Z`);
    for (let ms = 0; ms <= 999; ms += 1) accepted.push(`1970-01-01T00:00:00.${pad(ms, 3)}Z`);
    for (const time of accepted) {
      expect([time, PLAIN_UTC_TIME.test(time)]).toEqual([time, true]);
      if (Number.isNaN(Date.parse(time))) throw new Error(`Date.parse does not read ${time}`);
    }
  });

  it('leaves other forms and out-of-range fields to Date.parse', () => {
    for (const time of [
      '2026-00-01T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-01-29T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T00:60:00.000Z',
      '2026-01-01T00:00:60.000Z',
      '2026-01-01T00:00:00.00Z',
      '2026-01-01T00:00:00.000',
      '+002026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z\n',
    ])
      expect([time, PLAIN_UTC_TIME.test(time)]).toEqual([time, false]);
  });
});
