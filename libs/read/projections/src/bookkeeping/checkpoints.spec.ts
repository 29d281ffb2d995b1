import { sqlLiteral, textArrayLiteral } from '@tandem/platform/sql';
import { moveCheckpointsWhereTheyStand } from './checkpoints';

/** The `{"stream": from, …}` literal as the statement first wrote it: each key through JSON.stringify, escaped. */
function escapedFrom(streams: string[], from: number[]): string {
  return sqlLiteral(`{${streams.map((stream, i) => `${JSON.stringify(stream)}:${from[i]}`).join(',')}}`);
}

function fromOf(sql: string): string {
  const match = /WHERE c\.version = \((.*)::jsonb ->>/s.exec(sql);
  if (!match?.[1]) throw new Error(`no from literal in ${sql}`);
  return match[1];
}

describe('moveCheckpointsWhereTheyStand', () => {
  it.each([
    ['UUIDs', ['0b7c6f4e-2a4f-4b8e-9d64-3f1c2a5e7d10', '6f1c0d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e']],
    ['printable ASCII', ['a b', '{x}', 'a,b:c', '~!#$%&()*+-./<>?@[]^_`|']],
    ['a double quote', ['plain', 'b"c']],
    ['a single quote', ['plain', "d'e"]],
    ['a backslash', ['plain', 'f\\g']],
    ['control characters', ['plain', 'tab\there', 'nl\n', '\u0000', '\u007f']],
    ['non-ASCII', ['plain', 'ü', '😀', '\ud800', '\u2028']],
    ['an empty id', ['']],
  ])('writes the from-versions of streams with %s as JSON.stringify would', (_case, streams) => {
    const from = streams.map((_, i) => i * 3);
    const to = streams.map((_, i) => i * 3 + 2);
    const sql = moveCheckpointsWhereTheyStand("'p'", { streams, from, to });
    expect(fromOf(sql)).toBe(escapedFrom(streams, from));
    expect(sql).toContain(`unnest(${textArrayLiteral(streams)}::text[]`);
  });

  it('writes no streams as an empty object', () => {
    expect(fromOf(moveCheckpointsWhereTheyStand("'p'", { streams: [], from: [], to: [] }))).toBe("'{}'");
  });

  it('refuses a from-version that is not an integer', () => {
    expect(() => moveCheckpointsWhereTheyStand("'p'", { streams: ['a'], from: [1.5], to: [2] })).toThrow(
      /not an integer/,
    );
    expect(() =>
      moveCheckpointsWhereTheyStand("'p'", { streams: ["'a"], from: [Number.NaN], to: [2] }),
    ).toThrow(/not an integer/);
  });
});
