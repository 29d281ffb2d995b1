import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  CE_HEADERS,
  downcastToV1,
  ORDER_TOPIC_V1,
  type ConsumedEvent,
  type TandemEvent,
} from '@tandem/contracts';
import {
  READ_MODEL_TABLES,
  type ProjectionName,
  openMigratedReadDatabase,
  type MigratedReadDatabase,
} from '@tandem/read/models';
import { BatchApplier } from './runtime/batch-applier';
import type { IncomingMessage } from './runtime/incoming-message';
import { decodeMessage, streamIdOf } from './runtime/message-decoder';
import { PROJECTIONS } from './runtime/projection-catalog';
import { createRebuildTables, REBUILD_SUFFIX, swapInRebuiltTables } from './rebuild/table-swap';
import { eventMessage } from './testing/event-messages';

/**
 * Each projection is derived from its read model's one definition, so every path the runtime takes must leave the
 * same rows: event by event with a savepoint each (how a failing batch is replayed), the general path's batch,
 * the continuing path, and a rebuild into copies swapped in for the live tables. And the same history leaves the
 * same rows whether it comes as v2 (orders.order.v2) or as v1 (orders.order.v1, OrderLineAdded without currency).
 */
let read: MigratedReadDatabase | undefined;
let dataSource: DataSource;

beforeAll(async () => {
  read = await openMigratedReadDatabase('read_model_paths');
  dataSource = read.dataSource;
}, 60_000);

afterAll(() => read?.close(), 60_000);

/**
 * Customers registered (one after its orders), credit limits changed, orders whose lines are added and removed
 * (a SKU twice), placed, shipped and cancelled from draft and from placed, in two currencies, across a UTC
 * midnight; times in UTC, with an offset and with microseconds. The streams are interleaved as a partition would.
 */
function mixedLog(): IncomingMessage[] {
  const customers = [randomUUID(), randomUUID(), randomUUID()];
  const stories: TandemEvent[][] = customers.map((customerId, n) => [
    {
      type: 'CustomerRegistered',
      data: { customerId, name: `C${n}`, email: `c${n}@example.com`, currency: 'EUR', creditLimit: 1000 * n },
    },
    {
      type: 'CustomerCreditLimitChanged',
      data: { customerId, creditLimit: 5000 + n, previousCreditLimit: 1000 * n },
    },
  ]);
  customers.forEach((customerId, n) => {
    for (const ending of ['ship', 'cancel-draft', 'cancel-placed', 'none'] as const) {
      const orderId = randomUUID();
      const currency = n === 2 ? 'USD' : 'EUR';
      const money = { orderId, customerId, total: 450, currency };
      const story: TandemEvent[] = [
        { type: 'OrderCreated', data: { orderId, customerId, currency } },
        {
          type: 'OrderLineAdded',
          data: { orderId, sku: 'A', quantity: 2, unitPrice: { amount: 100, currency } },
        },
        {
          type: 'OrderLineAdded',
          data: { orderId, sku: 'B', quantity: 1, unitPrice: { amount: 250, currency } },
        },
        {
          type: 'OrderLineAdded',
          data: { orderId, sku: 'A', quantity: 3, unitPrice: { amount: 100, currency } },
        },
        { type: 'OrderLineRemoved', data: { orderId, sku: 'A' } },
        {
          type: 'OrderLineAdded',
          data: { orderId, sku: 'C', quantity: 2, unitPrice: { amount: 100, currency } },
        },
      ];
      if (ending === 'ship' || ending === 'cancel-placed') story.push({ type: 'OrderPlaced', data: money });
      if (ending === 'ship') story.push({ type: 'OrderShipped', data: money });
      if (ending.startsWith('cancel')) {
        const previousStatus = ending === 'cancel-draft' ? 'draft' : 'placed';
        story.push({ type: 'OrderCancelled', data: { ...money, reason: 'changed mind', previousStatus } });
      }
      stories.push(story);
    }
  });
  // The last customer registers after its orders are counted.
  const late = stories.splice(2, 1)[0] ?? [];
  stories.push(late);

  const start = Date.parse('2026-11-28T23:00:00Z');
  let tick = 0;
  const time = (): string => {
    const at = new Date(start + tick * 37_000 + (tick % 7));
    tick += 1;
    if (tick % 5 === 0) return new Date(at.getTime() + 3_600_000).toISOString().replace('Z', '+01:00');
    if (tick % 3 === 0) return at.toISOString().replace('Z', `${String(tick % 1000).padStart(3, '0')}Z`);
    return at.toISOString();
  };
  const messages: IncomingMessage[] = [];
  const next = stories.map(() => 0);
  for (let round = 0; next.some((v, i) => v < (stories[i]?.length ?? 0)); round++) {
    stories.forEach((story, i) => {
      const version = next[i] ?? 0;
      const event = story[version];
      if (!event || (round + i) % 3 === 0 || (i === stories.length - 1 && round < 8)) return;
      next[i] = version + 1;
      messages.push(
        eventMessage(event, { streamVersion: version + 1, time: time(), offset: messages.length }),
      );
    });
  }
  if (new Set(messages.map((m) => streamIdOf(decoded(m)))).size !== stories.length)
    throw new Error('every story is in the log');
  return messages;
}

function decoded(message: IncomingMessage): ConsumedEvent {
  const item = decodeMessage(message);
  if (item.kind !== 'event') throw new Error(`the log holds poison: ${item.error}`);
  return item.event;
}

/** A table's rows as PostgreSQL writes them as text: every digit of a time or a sum, in a fixed order. */
async function rowsOf(table: string): Promise<string[]> {
  const rows: Array<{ row: string }> = await dataSource.query(
    `SELECT t::text AS row FROM ${table} t ORDER BY 1`,
  );
  return rows.map((r) => r.row);
}

type Path = 'per-event' | 'batch' | 'continuing';

/** Applies the log to copies of the projection's tables on one path, in two batches. */
async function applyOnPath(name: ProjectionName, path: Path, log: IncomingMessage[]): Promise<void> {
  const suffix = `_${path.replace('-', '_')}`;
  for (const table of READ_MODEL_TABLES[name]) {
    await dataSource.query(`CREATE TABLE ${table}${suffix} (LIKE ${table} INCLUDING ALL)`);
  }
  const applier = new BatchApplier(dataSource, PROJECTIONS[name], {
    namespace: `${name}@${path}`,
    table: (t) => `${t}${suffix}`,
  });
  const cut = Math.floor(log.length / 3);
  for (const batch of [log.slice(0, cut), log.slice(cut)]) {
    if (path === 'continuing') {
      expect(await applier.apply(batch)).toMatchObject({ path: 'continuing', applied: batch.length });
    } else {
      const result = await applier.inTransaction((runner) =>
        applier.applyAll(runner, batch.map(decodeMessage), path === 'per-event'),
      );
      expect(result).toMatchObject({ applied: batch.length, deadLettered: [] });
    }
  }
}

/** Rebuilds the projection from the log into copies of its tables and swaps them in for the live ones. */
async function rebuild(name: ProjectionName, log: IncomingMessage[]): Promise<void> {
  const namespace = `${name}@rebuild`;
  const tables = READ_MODEL_TABLES[name];
  await createRebuildTables(dataSource, tables, namespace);
  const applier = new BatchApplier(dataSource, PROJECTIONS[name], {
    namespace,
    table: (t) => `${t}${REBUILD_SUFFIX}`,
  });
  for (let i = 0; i < log.length; i += 25) await applier.apply(log.slice(i, i + 25));
  await dataSource.transaction((manager) => swapInRebuiltTables(manager, tables, name, namespace));
}

test.each(Object.keys(PROJECTIONS) as ProjectionName[])(
  '%s: per event, batch, continuing and rebuild leave the same rows',
  async (name) => {
    const log = mixedLog().filter((m) => PROJECTIONS[name].topics.includes(m.topic));
    for (const path of ['per-event', 'batch', 'continuing'] as const) await applyOnPath(name, path, log);
    await rebuild(name, log);
    for (const table of READ_MODEL_TABLES[name]) {
      const live = await rowsOf(table);
      expect(live.length).toBeGreaterThan(1);
      expect(await rowsOf(`${table}_per_event`)).toEqual(live);
      expect(await rowsOf(`${table}_batch`)).toEqual(live);
      expect(await rowsOf(`${table}_continuing`)).toEqual(live);
    }
  },
);

test("a rebuild's swap keeps the order summary's change log: the trigger is made again on the new table", async () => {
  const log = mixedLog().filter((m) => PROJECTIONS['order-summary'].topics.includes(m.topic));
  await rebuild('order-summary', log);
  const triggers = (await dataSource.query(
    `SELECT tgname FROM pg_trigger WHERE tgrelid = 'order_summary'::regclass AND NOT tgisinternal`,
  )) as Array<{ tgname: string }>;
  expect(triggers.map((t) => t.tgname)).toEqual(['order_summary_changes']);
  const [row] = (await dataSource.query(`SELECT order_id, version FROM order_summary LIMIT 1`)) as Array<{
    order_id: string;
    version: number;
  }>;
  await dataSource.query(`UPDATE order_summary SET version = version + 1 WHERE order_id = $1`, [
    row?.order_id,
  ]);
  const logged = (await dataSource.query(
    `SELECT version FROM order_summary_changes WHERE order_id = $1 ORDER BY version DESC LIMIT 1`,
    [row?.order_id],
  )) as Array<{ version: number }>;
  expect(logged[0]?.version).toBe((row?.version ?? 0) + 1);
});

/** The same message as orders.order.v1 carried it: the same envelope, its v1 type, its v1 payload. */
function asV1Message(message: IncomingMessage): IncomingMessage {
  const event = decoded(message) as TandemEvent;
  if (!event.type.startsWith('Order')) return message;
  const { definition, data } = downcastToV1(event);
  return {
    ...message,
    topic: ORDER_TOPIC_V1,
    value: JSON.stringify(data),
    headers: { ...message.headers, [CE_HEADERS.type]: definition.type },
  };
}

test.each(Object.keys(PROJECTIONS) as ProjectionName[])(
  '%s: the same history as v1 and as v2 leaves the same rows',
  async (name) => {
    const v2 = mixedLog();
    const v1 = v2.map(asV1Message);
    expect(v1.filter((m) => m.headers?.[CE_HEADERS.type] === 'tandem.orders.OrderLineAdded.v1')).toHaveLength(
      v2.filter((m) => m.headers?.[CE_HEADERS.type] === 'tandem.orders.OrderLineAdded.v2').length,
    );
    const rows: Record<string, string[][]> = {};
    for (const [form, log] of [
      ['v1', v1],
      ['v2', v2],
    ] as const) {
      for (const table of READ_MODEL_TABLES[name]) {
        await dataSource.query(`CREATE TABLE ${table}_${form} (LIKE ${table} INCLUDING ALL)`);
      }
      const applier = new BatchApplier(dataSource, PROJECTIONS[name], {
        namespace: `${name}@${form}`,
        table: (t) => `${t}_${form}`,
      });
      for (let i = 0; i < log.length; i += 10) {
        expect(await applier.apply(log.slice(i, i + 10))).toMatchObject({ deadLettered: [] });
      }
      rows[form] = await Promise.all(READ_MODEL_TABLES[name].map((table) => rowsOf(`${table}_${form}`)));
    }
    // One history (ids, times, versions), two forms: every row, every column, the same.
    expect(rows['v1']?.flat().length).toBeGreaterThan(0);
    expect(rows['v1']).toEqual(rows['v2']);
  },
);
