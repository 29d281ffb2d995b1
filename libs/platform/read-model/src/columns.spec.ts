import { rowSource } from './columns';

describe('rowSource', () => {
  it('sends one row as scalar parameters (the per-event path), several as one array per column', () => {
    const one: unknown[] = ['before'];
    expect(rowSource(['id', 'n'], ['uuid', 'int'], [['a', 1]], one)).toBe('VALUES ($2::uuid, $3::int)');
    expect(one).toEqual(['before', 'a', 1]);
    const many: unknown[] = [];
    expect(
      rowSource(
        ['id', 'n'],
        ['uuid', 'int'],
        [
          ['a', 1],
          ['b', null],
        ],
        many,
      ),
    ).toBe('SELECT * FROM unnest($1::uuid[], $2::int[]) AS e(id, n)');
    expect(many).toEqual([
      ['a', 'b'],
      [1, null],
    ]);
  });
});
