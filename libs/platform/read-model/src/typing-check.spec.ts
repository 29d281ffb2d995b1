import { column, greatest, increment, key, nullable, set, type RowOf } from './columns';
import { utcDay } from './event-time';
import { changesOf, defineCounterModel, defineDocumentModel, handledTypes } from './read-model';

type E =
  | { type: 'Created'; data: { id: string; owner: string } }
  | { type: 'Renamed'; data: { id: string; name: string } }
  | { type: 'Sold'; data: { id: string; total: number; currency: string } };

describe('definitions type-check and validate', () => {
  it('declares a document model with a pure evolve', () => {
    const model = defineDocumentModel<E>()({
      name: 'doc',
      table: 'doc',
      key: 'id',
      columns: { id: column('uuid'), name: nullable('text') },
      handles: ['Created', 'Renamed'],
      creates: ['Created'],
      evolve: (row, { event }) => {
        if (event.type === 'Created') return { id: event.data.id, name: null };
        if (row === null) throw new Error('unreachable');
        return event.type === 'Renamed' ? { ...row, name: event.data.name } : row;
      },
    });
    expect(model.kind).toBe('document');
    const handled: readonly E['type'][] = handledTypes(model);
    expect(handled).toEqual(['Created', 'Renamed']);
  });

  it('declares a counter model as a change table', () => {
    const model = defineCounterModel<E>()({
      name: 'sales',
      table: 'sales',
      columns: {
        day: key('date'),
        currency: key('char(3)'),
        sold: increment('bigint'),
        total: increment('numeric'),
        last_at: greatest('timestamptz'),
        note: set('text'),
      },
      on: {
        Sold: (event, envelope) => ({
          day: utcDay(envelope.time),
          currency: event.data.currency,
          sold: 1,
          total: event.data.total,
          last_at: envelope.time,
        }),
      },
    });
    expect(model.kind).toBe('counters');
    const handled: readonly E['type'][] = handledTypes(model);
    expect(handled).toEqual(['Sold']);
    const envelope = {
      id: 'e',
      type: 'Sold',
      source: 'test',
      subject: 'x',
      time: '2026-01-01T23:00:00-02:00',
      streamVersion: 1,
      correlationId: 'c',
      causationId: 'c',
    };
    expect(
      changesOf(model, { envelope, event: { type: 'Sold', data: { id: 'x', total: 5, currency: 'EUR' } } }),
    ).toEqual([{ day: '2026-01-02', currency: 'EUR', sold: 1, total: 5, last_at: envelope.time }]);
    expect(changesOf(model, { envelope, event: { type: 'Renamed', data: { id: 'x', name: 'n' } } })).toEqual(
      [],
    );
    expect(() =>
      defineCounterModel<E>()({ name: 'bad', table: 'bad', columns: { n: increment('int') }, on: {} }),
    ).toThrow(/key column/);
  });

  it('keeps a model name as its literal type, and narrows a column value where the model knows more', () => {
    type Status = 'open' | 'closed';
    const columns = {
      id: column('uuid'),
      status: column<'text', Status>('text'),
      tags: column<'jsonb', string[]>('jsonb'),
      closed_by: nullable<'text', 'owner' | 'admin'>('text'),
    };
    type Row = RowOf<typeof columns>;
    const model = defineDocumentModel<E>()({
      name: 'narrowed',
      table: 'narrowed',
      key: 'id',
      columns,
      handles: ['Created'],
      creates: ['Created'],
      // Annotated: a literal returned to a row type that is still being inferred would be widened to string.
      evolve: (_row, { event }): Row => ({ id: event.data.id, status: 'open', tags: [], closed_by: null }),
    });
    const name: 'narrowed' = model.name;
    const row: Row = { id: 'x', status: 'closed', tags: ['a'], closed_by: 'admin' };
    // @ts-expect-error a status the column does not hold
    const wrong: Row['status'] = 'pending';
    // @ts-expect-error the tags are strings
    const tags: Row['tags'] = [1];
    expect([name, row.tags.length, wrong, tags]).toEqual(['narrowed', 1, 'pending', [1]]);
  });

  it('types a counter column declared NOT NULL as never null, inside a definition too', () => {
    const model = defineCounterModel<E>()({
      name: 'not-null',
      table: 'not_null',
      columns: {
        id: key('uuid'),
        version: set('int', { nullable: false }),
        last_at: greatest('timestamptz', { nullable: false }),
        note: set('text'),
      },
      on: {},
    });
    type Row = RowOf<typeof model.columns>;
    // @ts-expect-error declared NOT NULL
    const version: Row['version'] = null;
    // @ts-expect-error declared NOT NULL
    const lastAt: Row['last_at'] = null;
    const note: Row['note'] = null;
    expect([version, lastAt, note, model.columns.note.nullable]).toEqual([null, null, null, true]);
  });
});
