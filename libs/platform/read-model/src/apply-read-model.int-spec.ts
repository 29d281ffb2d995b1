import { Client } from 'pg';
import type { EventEnvelope } from '@tandem/contracts';
import { createTestDatabase, type TestDatabase } from '@tandem/platform/testing';
import { counterModelWrites } from './apply-counter-model';
import { applyReadModel } from './apply-read-model';
import { column, greatest, increment, key, nullable, rowsOf, selectList, set } from './columns';
import { utcDay } from './event-time';
import {
  defineCounterModel,
  defineDocumentModel,
  ReadModelRejectedEvent,
  type ModelEvent,
  type ReadModelContext,
} from './read-model';
import { migratedShape, shapeDifferences } from './table-shape';

type E =
  | { type: 'Opened'; data: { id: string; owner: string } }
  | { type: 'Noted'; data: { id: string; note: string; amount: number } }
  | { type: 'Renamed'; data: { owner: string; name: string } }
  | { type: 'Ignored'; data: Record<string, never> };

const doc = defineDocumentModel<E>()({
  name: 'doc',
  table: 'doc',
  key: 'id',
  columns: {
    id: column('uuid'),
    owner: column('text'),
    notes: column('jsonb'),
    total: column('bigint'),
    version: column('int'),
    updated_at: column('timestamptz'),
    noted_at: nullable('timestamptz'),
  },
  handles: ['Opened', 'Noted'],
  creates: ['Opened'],
  evolve: (row, { envelope, event }) => {
    if (event.type === 'Opened') {
      return {
        id: event.data.id,
        owner: event.data.owner,
        notes: [],
        total: 0,
        version: envelope.streamVersion,
        updated_at: envelope.time,
        noted_at: null,
      };
    }
    if (row === null || event.type !== 'Noted') throw new ReadModelRejectedEvent('unreachable');
    return {
      ...row,
      notes: [...(row.notes as string[]), event.data.note],
      total: row.total + event.data.amount,
      version: envelope.streamVersion,
      updated_at: envelope.time,
      noted_at: envelope.time,
    };
  },
});

const counters = defineCounterModel<E>()({
  name: 'counters',
  table: 'counters',
  columns: {
    owner: key('text'),
    day: key('date'),
    notes: increment('bigint'),
    amount: increment('numeric'),
    name: set('text'),
    last_at: greatest('timestamptz', { nullable: false }),
  },
  on: {
    Opened: () => null,
    Noted: (event, envelope) => ({
      owner: 'o',
      day: utcDay(envelope.time),
      notes: 1,
      amount: event.data.amount,
      last_at: envelope.time,
    }),
    Renamed: (event, envelope) => ({
      owner: event.data.owner,
      day: utcDay(envelope.time),
      name: event.data.name,
      last_at: envelope.time,
    }),
  },
});

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

function at(subject: string, streamVersion: number, time: string, event: E): ModelEvent<E> {
  const envelope: EventEnvelope = {
    id: `${subject}-${streamVersion}`,
    type: event.type,
    source: 'test',
    subject,
    time,
    streamVersion,
    correlationId: 'c',
    causationId: 'c',
  };
  return { envelope, event };
}

describe('applyReadModel on PostgreSQL', () => {
  let db: TestDatabase;
  let client: Client;
  let context: ReadModelContext;

  beforeAll(async () => {
    db = await createTestDatabase('read_model_kit');
    client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CREATE TABLE doc (id uuid PRIMARY KEY, owner text NOT NULL, notes jsonb NOT NULL, total bigint NOT NULL,
      version integer NOT NULL, updated_at timestamptz NOT NULL, noted_at timestamptz)`);
    await client.query(`CREATE TABLE counters (owner text NOT NULL, day date NOT NULL, notes bigint NOT NULL DEFAULT 0,
      amount numeric NOT NULL DEFAULT 0, name text, last_at timestamptz NOT NULL, PRIMARY KEY (owner, day))`);
    context = {
      query: async <Row>(sql: string, params: unknown[]) => (await client.query(sql, params)).rows as Row[],
      table: (name) => name,
    };
  }, 60_000);

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('checks the declared columns against the migrated tables, naming each difference', async () => {
    const query = async (sql: string, params: unknown[]) =>
      (await client.query(sql, params)).rows as Array<Record<string, unknown>>;
    expect(shapeDifferences(doc, await migratedShape(query, 'doc'))).toEqual([]);
    expect(shapeDifferences(counters, await migratedShape(query, 'counters'))).toEqual([]);
    await client.query(`CREATE TABLE doc_drift (id uuid PRIMARY KEY, owner text, notes jsonb NOT NULL, total integer NOT NULL,
      version integer NOT NULL, updated_at timestamptz NOT NULL, extra text)`);
    expect(shapeDifferences(doc, await migratedShape(query, 'doc_drift'))).toEqual([
      'doc.owner: declared NOT NULL, migrated nullable',
      'doc.total: declared bigint, migrated integer',
      'doc.noted_at: declared, not in the migrated table',
      'doc.extra: in the migrated table, not declared',
    ]);
  });

  it('folds a batch into document rows: one created, one read and updated; a batch of one does the same', async () => {
    await applyReadModel(
      doc,
      [at(A, 1, '2026-01-01T00:00:00.000Z', { type: 'Opened', data: { id: A, owner: 'x' } })],
      context,
    );
    await applyReadModel(
      doc,
      [
        at(A, 2, '2026-01-01T00:00:01.123456Z', { type: 'Noted', data: { id: A, note: "it's", amount: 5 } }),
        at(B, 1, '2026-01-01T00:00:02.000Z', { type: 'Opened', data: { id: B, owner: 'y' } }),
        at(B, 2, '2026-01-01T00:00:03.000+02:00', { type: 'Noted', data: { id: B, note: 'b', amount: 7 } }),
        at(A, 3, '2026-01-01T00:00:04.000Z', { type: 'Ignored', data: {} }),
      ],
      context,
    );
    const { rows } = await client.query(
      `SELECT id, owner, notes, total::int, version, to_json(updated_at) #>> '{}' AS updated_at FROM doc ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        id: A,
        owner: 'x',
        notes: ["it's"],
        total: 5,
        version: 2,
        updated_at: '2026-01-01T00:00:01.123456+00:00',
      },
      { id: B, owner: 'y', notes: ['b'], total: 7, version: 2, updated_at: '2025-12-31T22:00:03+00:00' },
    ]);
  });

  it('rejects an event for a row that does not exist, and a creation of one that does', async () => {
    const C = '00000000-0000-4000-8000-00000000000c';
    await expect(
      applyReadModel(
        doc,
        [at(C, 2, '2026-01-01T00:00:00Z', { type: 'Noted', data: { id: C, note: 'n', amount: 1 } })],
        context,
      ),
    ).rejects.toBeInstanceOf(ReadModelRejectedEvent);
    await expect(
      applyReadModel(
        doc,
        [at(A, 1, '2026-01-01T00:00:00Z', { type: 'Opened', data: { id: A, owner: 'z' } })],
        context,
      ),
    ).rejects.toThrow(/duplicate key/);
  });

  it('folds counter changes: exact numeric sums, days and the latest time as instants (offsets, microseconds), set columns left alone by changes without them', async () => {
    const big = Number.MAX_SAFE_INTEGER;
    await applyReadModel(
      counters,
      [
        at(A, 1, '2026-03-01T10:00:00.000Z', { type: 'Noted', data: { id: A, note: '', amount: big } }),
        at(A, 2, '2026-03-01T10:00:00.000001Z', { type: 'Noted', data: { id: A, note: '', amount: big } }),
        at('o', 1, '2026-03-01T09:00:00Z', { type: 'Renamed', data: { owner: 'o', name: 'first' } }),
        at('o', 2, '2026-03-01T09:30:00Z', { type: 'Renamed', data: { owner: 'o', name: 'second' } }),
        at(B, 1, '2026-03-02T01:00:00+02:00', { type: 'Noted', data: { id: B, note: '', amount: 1 } }),
      ],
      context,
    );
    await applyReadModel(
      counters,
      [at(A, 3, '2026-03-01T08:00:00Z', { type: 'Noted', data: { id: A, note: '', amount: 1 } })],
      context,
    );
    const { rows } = await client.query(
      `SELECT owner, day::text, notes::int, amount::text, name, to_json(last_at) #>> '{}' AS last_at FROM counters ORDER BY day`,
    );
    expect(rows).toEqual([
      {
        owner: 'o',
        day: '2026-03-01',
        notes: 4,
        amount: (2n * BigInt(big) + 2n).toString(),
        name: 'second',
        last_at: '2026-03-01T23:00:00+00:00',
      },
    ]);
  });

  it("reads rows for a model's queries as the declaration types them, whatever the session's DateStyle", async () => {
    await client.query(`SET datestyle = 'German, DMY'`);
    try {
      const raw = await client.query(`SELECT ${selectList(counters.columns)} FROM counters`);
      expect(rowsOf(counters.columns, raw.rows)).toEqual([
        {
          owner: 'o',
          day: '2026-03-01',
          notes: 4,
          amount: (2n * BigInt(Number.MAX_SAFE_INTEGER) + 2n).toString(),
          name: 'second',
          last_at: '2026-03-01T23:00:00+00:00',
        },
      ]);
    } finally {
      await client.query('RESET datestyle');
    }
  });

  it("gives a counter model's writes as parts of a larger statement: parameters numbered after the caller's, rows written only when its condition holds", async () => {
    const events = [
      at(A, 1, '2026-04-01T10:00:00Z', { type: 'Noted', data: { id: A, note: '', amount: 3 } }),
      at('p', 1, '2026-04-01T11:00:00Z', { type: 'Renamed', data: { owner: 'p', name: 'named' } }),
    ];
    expect(counterModelWrites(counters, [], { table: 'counters', params: [] })).toEqual([]);
    const run = async (allowed: boolean) => {
      const params: unknown[] = [allowed];
      const writes = counterModelWrites(counters, events, {
        table: 'counters',
        params,
        when: 'EXISTS (SELECT 1 FROM gate)',
      });
      // Two shapes (one brings `name`, one does not): two statements, each a WITH part of the caller's.
      expect(writes).toHaveLength(2);
      await client.query(
        `WITH gate AS (SELECT 1 WHERE $1::boolean), ${writes.map((w, i) => `w${i} AS (${w})`).join(', ')} SELECT 1`,
        params,
      );
      return (
        await client.query(
          `SELECT owner, notes::int, amount::text, name FROM counters WHERE day = '2026-04-01' ORDER BY owner`,
        )
      ).rows;
    };
    expect(await run(false)).toEqual([]);
    expect(await run(true)).toEqual([
      { owner: 'o', notes: 1, amount: '3', name: null },
      { owner: 'p', notes: 0, amount: '0', name: 'named' },
    ]);
  });
});
