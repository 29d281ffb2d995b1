import { escapeLiteral } from 'pg';
import {
  inlineParameters,
  intArrayLiteral,
  lastAnswer,
  sqlLiteral,
  sqlLiteralOrNull,
  textArrayLiteral,
} from './simple-query';
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

  it('writes the same literal as pg with or without quotes and backslashes to escape', () => {
    expect(sqlLiteral('b7c1e2f0-uuid')).toBe(escapeLiteral('b7c1e2f0-uuid'));
    for (const value of [
      '',
      "a'b",
      'a\\b',
      "'\\'",
      'plain',
      "''",
      '\\\\',
      '{"sku":"A\\"B"}',
      "ü'€\\😀",
      '$1',
    ])
      expect(sqlLiteral(value)).toBe(escapeLiteral(value));
    // Random strings over the characters that matter, and a few others.
    const alphabet = ["'", '\\', '"', 'a', ' ', 'E', '\n', 'ü'];
    let seed = 7;
    for (let n = 0; n < 2000; n++) {
      let value = '';
      for (let i = 0; i < n % 17; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        value += alphabet[seed % alphabet.length];
      }
      expect([value, sqlLiteral(value)]).toEqual([value, escapeLiteral(value)]);
    }
  });

  it('inlines parameters as the text pg would send, quoted, so the casts type them', () => {
    expect(
      inlineParameters('INSERT INTO t (a, b, c) VALUES ($1::date, $2::numeric, $3::char(3))', [
        '2026-01-01',
        12n,
        "E'R",
      ]),
    ).toBe(`INSERT INTO t (a, b, c) VALUES ('2026-01-01'::date, '12'::numeric, 'E''R'::char(3))`);
    expect(inlineParameters('SELECT $1::int, $2::text, $10::int', [7, null, 0, 0, 0, 0, 0, 0, 0, -3])).toBe(
      "SELECT '7'::int, NULL::text, '-3'::int",
    );
    expect(
      inlineParameters('SELECT * FROM unnest($1::text[], $2::int[])', [
        ['a"b', null, 'c\\d'],
        [1, 2, 3],
      ]),
    ).toBe(String.raw`SELECT * FROM unnest( E'{"a\\"b",NULL,"c\\\\d"}'::text[], '{"1","2","3"}'::int[])`);
  });

  it('leaves alone a statement it cannot rewrite safely', () => {
    expect(inlineParameters(`SELECT '$1', $1::int`, [1])).toBeNull();
    expect(inlineParameters('SELECT "a$1" FROM t WHERE a = $1', [1])).toBeNull();
    expect(inlineParameters('SELECT a$1 FROM t', [1])).toBeNull();
    expect(inlineParameters('SELECT $$ $1 $$', [1])).toBeNull();
    expect(inlineParameters('SELECT 1 -- $1', [1])).toBeNull();
    expect(inlineParameters('SELECT /* $1 */ 1', [1])).toBeNull();
    expect(inlineParameters('SELECT $2::int', [1])).toBeNull();
    expect(inlineParameters('SELECT $0::int', [1])).toBeNull();
    expect(inlineParameters('SELECT $1::bytea', [Buffer.from('x')])).toBeNull();
    expect(inlineParameters('SELECT $1::timestamptz', [new Date()])).toBeNull();
    expect(inlineParameters('SELECT $1::jsonb', [{ a: 1 }])).toBeNull();
  });

  it('quotes every element of a text array literal', () => {
    // The array's own escape (b\"c) has its backslash doubled by the E'' string literal around it.
    expect(textArrayLiteral(['a', 'b"c', "d'e"])).toBe(String.raw` E'{"a","b\\"c","d''e"}'`);
    expect(textArrayLiteral([])).toBe("'{}'");
  });

  it('writes a text array with nothing to escape as the escaping form would', () => {
    const escaped = (values: string[]): string =>
      sqlLiteral(`{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`);
    for (const values of [
      [''],
      ['0b7c6f4e-2a4f-4b8e-9d64-3f1c2a5e7d10', '6f1c0d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e'],
      ['a b', 'ü', '{x}', 'a,b', 'NULL'],
      ['plain', 'b"c'],
      ['plain', "d'e"],
      ['plain', 'f\\g'],
    ])
      expect(textArrayLiteral(values)).toBe(escaped(values));
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
