import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { TandemEvent } from '@tandem/contracts';
import { READ_MODEL_TABLES, openMigratedReadDatabase, type MigratedReadDatabase } from '@tandem/read/models';
import { BatchApplier } from './runtime/batch-applier';
import type { IncomingMessage } from './runtime/incoming-message';
import type { Projection } from './runtime/projection';
import { PROJECTIONS } from './runtime/projection-catalog';
import { createRebuildTables, REBUILD_SUFFIX, swapInRebuiltTables } from './rebuild/table-swap';
import { eventMessage } from './testing/event-messages';

/**
 * `order_summary.lines_changed_at` was added by its definition and a migration alone. Every path the runtime takes
 * fills it: the event-by-event replay that isolates a rejected event, the general path's batch, the continuing path,
 * and a rebuild swapped in over rows projected before the column existed.
 */
let read: MigratedReadDatabase | undefined;
let dataSource: DataSource;
const projection = PROJECTIONS['order-summary'];

beforeAll(async () => {
  read = await openMigratedReadDatabase('lines_changed_at');
  dataSource = read.dataSource;
}, 60_000);

afterAll(() => read?.close(), 60_000);

/** Three orders: lines added and removed then placed; never a line; one line at a time with an offset. */
function orders() {
  const [lined, bare, offset] = [randomUUID(), randomUUID(), randomUUID()];
  const customerId = randomUUID();
  const money = (orderId: string) => ({ orderId, customerId, total: 200, currency: 'EUR' });
  const streams: Array<Array<[string, TandemEvent]>> = [
    [
      [
        '2026-11-28T10:00:00.000Z',
        { type: 'OrderCreated', data: { orderId: lined, customerId, currency: 'EUR' } },
      ],
      [
        '2026-11-28T10:00:01.000Z',
        {
          type: 'OrderLineAdded',
          data: { orderId: lined, sku: 'A', quantity: 1, unitPrice: { amount: 100, currency: 'EUR' } },
        },
      ],
      [
        '2026-11-28T10:00:02.000Z',
        {
          type: 'OrderLineAdded',
          data: { orderId: lined, sku: 'B', quantity: 2, unitPrice: { amount: 100, currency: 'EUR' } },
        },
      ],
      ['2026-11-28T10:00:03.123456Z', { type: 'OrderLineRemoved', data: { orderId: lined, sku: 'A' } }],
      ['2026-11-28T10:00:09.000Z', { type: 'OrderPlaced', data: money(lined) }],
    ],
    [
      [
        '2026-11-28T10:00:00.000Z',
        { type: 'OrderCreated', data: { orderId: bare, customerId, currency: 'EUR' } },
      ],
    ],
    [
      [
        '2026-11-28T10:00:00.000Z',
        { type: 'OrderCreated', data: { orderId: offset, customerId, currency: 'EUR' } },
      ],
      [
        '2026-11-28T12:00:05.5+02:00',
        {
          type: 'OrderLineAdded',
          data: { orderId: offset, sku: 'A', quantity: 2, unitPrice: { amount: 100, currency: 'EUR' } },
        },
      ],
    ],
  ];
  const log: IncomingMessage[] = [];
  // Interleaved as one partition delivers them.
  for (let i = 0; streams.some((s) => i < s.length); i++) {
    for (const stream of streams) {
      const step = stream[i];
      if (step) log.push(eventMessage(step[1], { streamVersion: i + 1, time: step[0] }));
    }
  }
  const expected = {
    [lined]: '2026-11-28T10:00:03.123456',
    [bare]: null,
    [offset]: '2026-11-28T10:00:05.500000',
  };
  return { log, expected };
}

/** Each order's lines_changed_at, in UTC with every digit PostgreSQL keeps. */
async function linesChangedAt(table: string, ids: string[]): Promise<Record<string, string | null>> {
  const rows: Array<{ order_id: string; at: string | null }> = await dataSource.query(
    `SELECT order_id, to_char(lines_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at
       FROM ${table} WHERE order_id = ANY($1::uuid[])`,
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.order_id, r.at]));
}

async function copyOf(suffix: string): Promise<string> {
  const table = `order_summary_${suffix}`;
  await dataSource.query(`CREATE TABLE ${table} (LIKE order_summary INCLUDING ALL)`);
  return table;
}

test('the isolate-each path (a batch with a rejected event, replayed event by event) fills lines_changed_at', async () => {
  const { log, expected } = orders();
  const table = await copyOf('isolated');
  const orphan = eventMessage(
    {
      type: 'OrderLineAdded',
      data: { orderId: randomUUID(), sku: 'A', quantity: 1, unitPrice: { amount: 1, currency: 'EUR' } },
    },
    { streamVersion: 1 },
  );
  const applier = new BatchApplier(dataSource, projection, {
    namespace: 'order-summary@isolated',
    table: () => table,
  });
  const result = await applier.apply([...log.slice(0, 4), orphan, ...log.slice(4)]);
  expect(result).toMatchObject({ path: 'general', applied: log.length });
  expect(result.deadLettered).toEqual([expect.objectContaining({ reason: 'handler-rejected' })]);
  expect(await linesChangedAt(table, Object.keys(expected))).toEqual(expected);
});

test('the batch path (applyMany, on the general path) fills lines_changed_at', async () => {
  const { log, expected } = orders();
  const table = await copyOf('batch');
  const batchOnly: Projection = {
    ...projection,
    apply: () => Promise.reject(new Error('per-event path used')),
  };
  const applier = new BatchApplier(dataSource, batchOnly, {
    namespace: 'order-summary@batch',
    table: () => table,
  });
  await applier.apply(log.slice(0, 3));
  // A redelivery of the first events sends the batch down the general path, which defers to applyMany.
  const result = await applier.apply(log);
  expect(result).toMatchObject({ path: 'general', duplicates: 3, applied: log.length - 3, deadLettered: [] });
  expect(await linesChangedAt(table, Object.keys(expected))).toEqual(expected);
});

test('the continuing path fills lines_changed_at', async () => {
  const { log, expected } = orders();
  const table = await copyOf('continuing');
  const applier = new BatchApplier(dataSource, projection, {
    namespace: 'order-summary@continuing',
    table: () => table,
  });
  for (const batch of [log.slice(0, 4), log.slice(4)]) {
    expect(await applier.apply(batch)).toMatchObject({ path: 'continuing', applied: batch.length });
  }
  expect(await linesChangedAt(table, Object.keys(expected))).toEqual(expected);
});

test('a rebuild swapped in fills lines_changed_at on rows projected before the column existed', async () => {
  const { log, expected } = orders();
  const ids = Object.keys(expected);
  await new BatchApplier(dataSource, projection).apply(log);
  // As the migration leaves rows projected before it.
  await dataSource.query(
    `UPDATE order_summary SET lines_changed_at = NULL WHERE order_id = ANY($1::uuid[])`,
    [ids],
  );
  expect(Object.values(await linesChangedAt('order_summary', ids))).toEqual([null, null, null]);

  const tables = READ_MODEL_TABLES['order-summary'];
  const namespace = 'order-summary@rebuild';
  await createRebuildTables(dataSource, tables, namespace);
  const rebuilder = new BatchApplier(dataSource, projection, {
    namespace,
    table: (t) => `${t}${REBUILD_SUFFIX}`,
  });
  await rebuilder.apply(log);
  await dataSource.transaction((manager) => swapInRebuiltTables(manager, tables, 'order-summary', namespace));
  expect(await linesChangedAt('order_summary', ids)).toEqual(expected);
});
