import { column, greatest, increment, key, nullable, set } from './columns';
import { utcDay } from './event-time';
import { defineCounterModel, defineDocumentModel } from './read-model';

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
    expect(() =>
      defineCounterModel<E>()({ name: 'bad', table: 'bad', columns: { n: increment('int') }, on: {} }),
    ).toThrow(/key column/);
  });
});
