import { intArrayLiteral, lastAnswer, sqlLiteral, sqlLiteralOrNull, textArrayLiteral } from './simple-query';
import { isUniqueViolation, sqlState } from './sql-errors';

describe('simple-query helpers', () => {
  it('takes the last answer of a multi-statement query, or the only one', () => {
    expect(lastAnswer([{ rows: [1] }, { rows: [2] }])).toEqual({ rows: [2] });
    expect(lastAnswer({ rows: [3] })).toEqual({ rows: [3] });
    expect(lastAnswer([])).toEqual({ rows: [] });
  });

  it("escapes quotes and backslashes in literals (PostgreSQL's E'' form for a backslash)", () => {
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(sqlLiteralOrNull(undefined)).toBe('NULL');
    expect(sqlLiteralOrNull(null)).toBe('NULL');
  });

  it('quotes every element of a text array literal', () => {
    // The array's own escape (b\"c) has its backslash doubled by the E'' string literal around it.
    expect(textArrayLiteral(['a', 'b"c', "d'e"])).toBe(String.raw` E'{"a","b\\"c","d''e"}'`);
    expect(textArrayLiteral([])).toBe("'{}'");
  });

  it('refuses anything but safe integers in an integer array literal', () => {
    expect(intArrayLiteral([1, -2, 3])).toBe("'{1,-2,3}'");
    expect(() => intArrayLiteral([1.5])).toThrow(/not an integer/);
    expect(() => intArrayLiteral([Number.NaN])).toThrow(/not an integer/);
  });

  it("reads the SQLSTATE from pg's error and from TypeORM's wrapper", () => {
    expect(sqlState({ code: '23505' })).toBe('23505');
    expect(sqlState({ driverError: { code: '40001' } })).toBe('40001');
    expect(sqlState(new Error('x'))).toBeUndefined();
    expect(isUniqueViolation({ driverError: { code: '23505' } })).toBe(true);
    expect(isUniqueViolation(null)).toBe(false);
  });
});
