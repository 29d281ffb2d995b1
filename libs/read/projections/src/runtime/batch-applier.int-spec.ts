import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { TandemEvent } from '@tandem/contracts';
import { createReadDataSource, migrateReadDatabase } from '@tandem/read/models';
import { createTestDatabase, type TestDatabase } from '@tandem/platform/testing';
import { eventMessage, orderStory, storyMessages } from '../testing/event-messages';
import { BatchApplier } from './batch-applier';
import type { IncomingMessage } from './incoming-message';
import { PROJECTIONS } from './projection-catalog';

const {
  'order-summary': orderSummaryProjection,
  'customer-orders': customerOrdersProjection,
  'daily-sales': dailySalesProjection,
} = PROJECTIONS;

/**
 * The runtime's core against a real read database (Postgres with TEST_POSTGRES_URL, else PGlite), without Kafka:
 * a batch and its checkpoints commit together; duplicates change nothing; gaps wait; poison is dead-lettered.
 */
let database: TestDatabase;
let dataSource: DataSource;
let orders: BatchApplier;

beforeAll(async () => {
  database = await createTestDatabase('batch_applier');
  dataSource = createReadDataSource({ url: database.url, poolSize: 2 });
  await dataSource.initialize();
  await migrateReadDatabase(dataSource);
  orders = new BatchApplier(dataSource, orderSummaryProjection);
}, 60_000);

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  await database?.drop();
}, 60_000);

async function summary(orderId: string) {
  const rows: Array<Record<string, unknown>> = await dataSource.query(
    `SELECT status, total::int AS total, line_count, version, lines FROM order_summary WHERE order_id = $1`,
    [orderId],
  );
  return rows[0];
}

async function checkpoint(projection: string, streamId: string): Promise<number | undefined> {
  const rows: Array<{ version: number }> = await dataSource.query(
    `SELECT version FROM projection_checkpoints WHERE projection = $1 AND stream_id = $2`,
    [projection, streamId],
  );
  return rows[0]?.version;
}

test('a batch applies an order’s events in order and moves its checkpoint in the same transaction', async () => {
  const orderId = randomUUID();
  const result = await orders.apply(
    storyMessages(orderStory(orderId, randomUUID(), ['line', 'line', 'place'])),
  );
  expect(result).toMatchObject({ applied: 4, duplicates: 0, parked: 0, deadLettered: [] });
  expect(await summary(orderId)).toMatchObject({ status: 'placed', total: 600, line_count: 2, version: 4 });
  expect(await checkpoint('order-summary', orderId)).toBe(4);
  const [status] = await dataSource.query(
    `SELECT last_event_at FROM projection_status WHERE projection = 'order-summary'`,
  );
  expect(status.last_event_at).toEqual(new Date('2026-11-28T10:00:03Z'));
});

test('a redelivered batch, and a batch cut elsewhere that overlaps it, change nothing', async () => {
  const orderId = randomUUID();
  const messages = storyMessages(orderStory(orderId, randomUUID(), ['line', 'line', 'line', 'place']));
  await orders.apply(messages.slice(0, 3));
  const again = await orders.apply(messages);
  expect(again).toMatchObject({ applied: 2, duplicates: 3 });
  const once = await summary(orderId);
  const thrice = await orders.apply(messages);
  expect(thrice).toMatchObject({ applied: 0, duplicates: 5 });
  expect(await summary(orderId)).toEqual(once);
  expect(once).toMatchObject({ total: 900, line_count: 3, version: 5 });
});

test('a gap is never applied out of order: v3 waits for v2, then both apply', async () => {
  const orderId = randomUUID();
  const [v1, v2, v3] = storyMessages(orderStory(orderId, randomUUID(), ['line', 'line']));
  expect(await orders.apply([v1!, v3!])).toMatchObject({ applied: 1, parked: 1 });
  expect(await summary(orderId)).toMatchObject({ line_count: 0, version: 1 });
  expect(await orders.apply([v3!])).toMatchObject({ applied: 0, duplicates: 1 });

  expect(await orders.apply([v2!])).toMatchObject({ applied: 2, parked: 0 });
  expect(await summary(orderId)).toMatchObject({ line_count: 2, version: 3, total: 600 });
  const parked = await dataSource.query(`SELECT 1 FROM projection_parked_events WHERE stream_id = $1`, [
    orderId,
  ]);
  expect(parked).toHaveLength(0);
});

test('a batch that continues its streams takes the continuing path; one that does not is sorted out by the general path', async () => {
  const status = async () =>
    (
      await dataSource.query(
        `SELECT events_applied::int AS n FROM projection_status WHERE projection = 'order-summary'`,
      )
    )[0]?.n as number;
  const a = randomUUID();
  const b = randomUUID();
  const [a1, a2, a3, a4, a5] = storyMessages(orderStory(a, randomUUID(), ['line', 'line', 'place', 'ship']));
  const [b1, b2, b3] = storyMessages(orderStory(b, randomUUID(), ['line', 'line']));
  const c = randomUUID();
  const [c1] = storyMessages(orderStory(c, randomUUID(), []));
  const before = (await status()) ?? 0;

  expect(await orders.apply([a1!, a2!])).toMatchObject({ path: 'continuing', applied: 2 });
  expect(await orders.apply([a3!])).toMatchObject({ path: 'continuing', applied: 1 });
  // A stream whose first event is missing: the assumed checkpoint (1) does not exist. Rolled back, then parked.
  expect(await orders.apply([b2!, b3!])).toMatchObject({ path: 'general', applied: 0, parked: 2 });
  expect(await checkpoint('order-summary', b)).toBeUndefined();
  // b1 continues b, but b has parked successors: the general path applies it and then them.
  expect(await orders.apply([b1!])).toMatchObject({ path: 'general', applied: 3 });
  // One stream that would continue (c, new) and one redelivered (a3): the whole batch takes the general path, which
  // applies c1 once and skips a3.
  expect(await orders.apply([c1!, a3!])).toMatchObject({ path: 'general', applied: 1, duplicates: 1 });
  // A stream further along than the batch assumes (a5 while a stands at 3) is parked; a4 then applies both.
  expect(await orders.apply([a5!])).toMatchObject({ path: 'general', applied: 0, parked: 1 });
  expect(await orders.apply([a4!])).toMatchObject({ path: 'general', applied: 2 });

  expect(await summary(a)).toMatchObject({ status: 'shipped', line_count: 2, total: 600, version: 5 });
  expect(await summary(b)).toMatchObject({ status: 'draft', line_count: 2, total: 600, version: 3 });
  expect(await checkpoint('order-summary', a)).toBe(5);
  expect(await checkpoint('order-summary', b)).toBe(3);
  expect(await checkpoint('order-summary', c)).toBe(1);
  // Each event counted once in the status, whichever path (and rolled-back attempt) it went through.
  expect((await status()) - before).toBe(9);
  const negative = await dataSource.query(`SELECT 1 FROM projection_checkpoints WHERE version < 1`);
  expect(negative).toHaveLength(0);
});

test('a continuing batch is two round trips: the opening, then the model’s writes with the notification and COMMIT', async () => {
  const orderId = randomUUID();
  const [created, line, placed, shipped] = storyMessages(
    orderStory(orderId, randomUUID(), ['line', 'place', 'ship']),
  );
  await dataSource.query(`CREATE TABLE daily_sales_round_trips (LIKE daily_sales INCLUDING ALL)`);
  const sales = new BatchApplier(dataSource, dailySalesProjection, {
    namespace: 'daily-sales@round-trips',
    table: (t) => `${t}_round_trips`,
  });
  await orders.apply([created!, line!]);
  // Whether the connection was still busy with an earlier query when each one was sent.
  const busy: boolean[] = [];
  const send = Client.prototype.query;
  const sent = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args) {
    busy.push((this as unknown as { readyForQuery: boolean }).readyForQuery !== true);
    return (send as (...a: unknown[]) => unknown).apply(this, args) as never;
  });
  try {
    expect(await sales.apply([created!, line!, placed!])).toMatchObject({ path: 'continuing', applied: 3 });
    const counter = sent.mock.calls.map(([sql]) => String(sql));
    expect(counter).toHaveLength(2);
    expect(counter[0]).toMatch(/^BEGIN;/);
    expect(counter[1]).toMatch(/^INSERT INTO daily_sales_round_trips [\s\S]*pg_notify[\s\S]*;\nCOMMIT$/);
    sent.mockClear();
    // A document model reads the rows it continues first, once the opening is answered, on the same connection.
    expect(await orders.apply([placed!, shipped!])).toMatchObject({ path: 'continuing', applied: 2 });
    const document = sent.mock.calls.map(([sql]) => String(sql));
    expect(document).toHaveLength(3);
    expect(document[1]).toMatch(/^SELECT /);
    expect(document[2]).toMatch(/^INSERT INTO order_summary [\s\S]*pg_notify[\s\S]*;\nCOMMIT$/);
    // Nothing was queued behind a query in flight (pg deprecates that).
    expect(busy).toEqual([false, false, false, false, false]);
  } finally {
    sent.mockRestore();
  }
  expect(await summary(orderId)).toMatchObject({ status: 'shipped', version: 4 });
  expect(await checkpoint('daily-sales@round-trips', orderId)).toBe(3);
});

test('poison is dead-lettered with its error and the rest of the batch applies', async () => {
  const good = randomUUID();
  const bad = randomUUID();
  const goodMessages = storyMessages(orderStory(good, randomUUID(), ['line']));
  const invalid = eventMessage(
    { type: 'OrderCreated', data: { orderId: bad, customerId: randomUUID(), currency: 'EUR' } },
    { streamVersion: 1 },
  );
  invalid.value = JSON.stringify({ orderId: bad, currency: 'euros' });
  const noHeaders = { ...invalid, offset: String(Number(invalid.offset) + 1000), headers: {} };
  const notJson = {
    ...goodMessages[0]!,
    offset: '999999',
    value: '{not json',
    headers: { ...goodMessages[0]!.headers },
  };

  const result = await orders.apply([goodMessages[0]!, invalid, noHeaders, goodMessages[1]!]);
  expect(result.applied).toBe(2);
  expect(result.deadLettered.map((d) => d.reason)).toEqual(['invalid-payload', 'invalid-envelope']);
  expect(await summary(good)).toMatchObject({ line_count: 1 });
  expect(await summary(bad)).toBeUndefined();
  // A duplicate of an applied version is a duplicate, whatever its body: the checkpoint decides first.
  expect(await orders.apply([notJson])).toMatchObject({ duplicates: 1, deadLettered: [] });

  const letters: Array<{ reason: string; error: string; stream_id: string | null }> = await dataSource.query(
    `SELECT reason, error, stream_id FROM dead_letters WHERE projection = 'order-summary' ORDER BY id`,
  );
  expect(letters).toEqual([
    expect.objectContaining({
      reason: 'invalid-payload',
      stream_id: bad,
      error: expect.stringContaining('customerId'),
    }),
    expect.objectContaining({
      reason: 'invalid-envelope',
      stream_id: null,
      error: expect.stringContaining('ce_'),
    }),
  ]);
  // Redelivering the poison records it once.
  await orders.apply([invalid]);
  const [{ count }] = await dataSource.query(
    `SELECT count(*)::int AS count FROM dead_letters WHERE stream_id = $1`,
    [bad],
  );
  expect(count).toBe(1);
});

test('a handler that rejects its event dead-letters that event only; the batch around it applies', async () => {
  const orphan = randomUUID();
  const fine = randomUUID();
  const orphanLine = eventMessage(
    {
      type: 'OrderLineAdded',
      data: { orderId: orphan, sku: 'A', quantity: 1, unitPrice: { amount: 1, currency: 'EUR' } },
    },
    { streamVersion: 1 },
  );
  const result = await orders.apply([...storyMessages(orderStory(fine, randomUUID(), [])), orphanLine]);
  expect(result.applied).toBe(1);
  expect(result.deadLettered).toEqual([expect.objectContaining({ reason: 'handler-rejected' })]);
  expect(await summary(fine)).toMatchObject({ status: 'draft' });
  expect(await checkpoint('order-summary', orphan)).toBeUndefined();
});

test('the continuing path: a payload that fails its schema, odd subjects and odd namespaces', async () => {
  const d = randomUUID();
  const e = randomUUID();
  const [d1] = storyMessages(orderStory(d, randomUUID(), []));
  // Valid headers, a payload that fails its schema: found while the checkpoints are being moved, so rolled back.
  const bad = eventMessage(
    { type: 'OrderCreated', data: { orderId: e, customerId: randomUUID(), currency: 'EUR' } },
    { streamVersion: 1 },
  );
  bad.value = JSON.stringify({ orderId: e, customerId: 'nobody', currency: 'EUR' });
  const result = await orders.apply([d1!, bad]);
  expect(result).toMatchObject({ path: 'general', applied: 1 });
  expect(result.deadLettered).toEqual([expect.objectContaining({ reason: 'invalid-payload' })]);
  expect(await checkpoint('order-summary', e)).toBeUndefined();

  // A subject header made to break out of a SQL literal: it stays data, and is dead-lettered for not being the
  // event's stream.
  const subject = `x\\"'); DROP TABLE order_summary; --`;
  const [f1] = storyMessages(orderStory(randomUUID(), randomUUID(), []));
  const odd = { ...f1!, headers: { ...f1!.headers, ce_subject: subject } };
  expect(await orders.apply([odd])).toMatchObject({
    path: 'general',
    deadLettered: [expect.objectContaining({ reason: 'subject-mismatch' })],
  });
  expect(await summary(d)).toMatchObject({ status: 'draft' });

  // The namespace is written into the continuing path's SQL as a literal too.
  const namespace = `order-summary@it's "odd" \\`;
  const odder = new BatchApplier(dataSource, orderSummaryProjection, {
    namespace,
    table: (t) => `${t}_odd`,
  });
  await dataSource.query(`CREATE TABLE order_summary_odd (LIKE order_summary INCLUDING ALL)`);
  const g = randomUUID();
  expect(await odder.apply(storyMessages(orderStory(g, randomUUID(), ['line'])))).toMatchObject({
    path: 'continuing',
    applied: 2,
  });
  expect(await checkpoint(namespace, g)).toBe(2);
});

test('an order created in the batch whose summary exists already is dead-lettered; the row stays as it was', async () => {
  const clash = randomUUID();
  const fine = randomUUID();
  // A summary without a checkpoint: written outside the runtime, e.g. by hand.
  await dataSource.query(
    `INSERT INTO order_summary (order_id, customer_id, status, currency, version, created_at, updated_at)
     VALUES ($1, $2, 'placed', 'USD', 7, now(), now())`,
    [clash, randomUUID()],
  );
  const result = await orders.apply([
    ...storyMessages(orderStory(clash, randomUUID(), [])),
    ...storyMessages(orderStory(fine, randomUUID(), ['line'])),
  ]);
  expect(result).toMatchObject({ path: 'general', applied: 2 });
  expect(result.deadLettered).toEqual([expect.objectContaining({ reason: 'handler-failed' })]);
  expect(await summary(clash)).toMatchObject({ status: 'placed', version: 7 });
  expect(await summary(fine)).toMatchObject({ status: 'draft', line_count: 1, version: 2 });
  expect(await checkpoint('order-summary', clash)).toBeUndefined();
});

test('customer-orders and daily-sales count each order once, whichever topic arrives first', async () => {
  const customers = new BatchApplier(dataSource, customerOrdersProjection);
  const sales = new BatchApplier(dataSource, dailySalesProjection);
  const customerId = randomUUID();
  const shipped = storyMessages(orderStory(randomUUID(), customerId, ['line', 'place', 'ship']));
  const cancelled = storyMessages(orderStory(randomUUID(), customerId, ['line', 'place', 'cancel']));
  const draft = storyMessages(orderStory(randomUUID(), customerId, ['line']));
  await customers.apply([...shipped, ...cancelled]);
  await customers.apply([...shipped, ...draft]);
  await customers.apply([
    eventMessage(
      {
        type: 'CustomerRegistered',
        data: { customerId, name: 'Ada', email: 'ada@example.com', currency: 'EUR', creditLimit: 10_000 },
      },
      { streamVersion: 1 },
    ),
    eventMessage(
      {
        type: 'CustomerCreditLimitChanged',
        data: { customerId, creditLimit: 20_000, previousCreditLimit: 10_000 },
      },
      { streamVersion: 2 },
    ),
  ]);
  const [row] = await dataSource.query(
    `SELECT name, credit_limit::int AS credit_limit, draft_count::int AS draft_count,
            placed_count::int AS placed_count, shipped_count::int AS shipped_count,
            cancelled_count::int AS cancelled_count, lifetime_value::int AS lifetime_value, version
       FROM customer_orders WHERE customer_id = $1`,
    [customerId],
  );
  expect(row).toEqual({
    name: 'Ada',
    credit_limit: 20_000,
    draft_count: 1,
    placed_count: 0,
    shipped_count: 1,
    cancelled_count: 1,
    lifetime_value: 300,
    version: 2,
  });

  await sales.apply([...shipped, ...cancelled]);
  await sales.apply(shipped);
  const days = await dataSource.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, currency, placed_count::int AS placed_count,
            placed_total::int AS placed_total, shipped_count::int AS shipped_count,
            cancelled_count::int AS cancelled_count FROM daily_sales ORDER BY day`,
  );
  expect(days).toEqual([
    {
      day: '2026-11-28',
      currency: 'EUR',
      placed_count: 2,
      placed_total: 600,
      shipped_count: 1,
      cancelled_count: 1,
    },
  ]);
});

test('customer-orders and daily-sales: the batch path leaves the same rows as the per-event path, row by row', async () => {
  const customerIds = [randomUUID(), randomUUID(), randomUUID()];
  const messages: IncomingMessage[] = [];
  // Registrations and credit limit changes interleaved with orders; one customer is registered only after its
  // orders were counted; orders in two currencies, across a UTC midnight; cancelled from draft and from placed.
  const start = Date.parse('2026-11-28T23:30:00Z');
  let offset = 0;
  let minute = 0;
  // Every fifth time is written with a +01:00 offset (its local date is a day later after 23:00 UTC), and one with
  // microseconds: the batch path reads the day off UTC times only and must leave these to PostgreSQL.
  const at = () => {
    const time = new Date(start + minute++ * 60_000);
    if (minute % 5 !== 0) return minute === 7 ? time.toISOString().replace('Z', '123Z') : time.toISOString();
    return new Date(time.getTime() + 3_600_000).toISOString().replace('Z', '+01:00');
  };
  const customerVersion = new Map<string, number>();
  const customerEvent = (event: TandemEvent, customerId: string, time = at()) => {
    const version = (customerVersion.get(customerId) ?? 0) + 1;
    customerVersion.set(customerId, version);
    messages.push(eventMessage(event, { streamVersion: version, time, offset: offset++ }));
  };
  // Each customer has its own mix, so that no two mistakes can cancel out.
  const mixes: Array<Array<Array<'line' | 'place' | 'ship' | 'cancel'>>> = [
    [
      ['line', 'place', 'ship'],
      ['line', 'cancel'],
      ['line', 'cancel'],
      ['line', 'line'],
      ['line', 'place'],
    ],
    [['line', 'place', 'cancel'], ['line', 'place', 'ship'], ['line', 'place', 'ship'], ['line']],
    [
      ['line', 'place'],
      ['line', 'place', 'cancel'],
      ['line', 'cancel'],
      ['line', 'place', 'ship'],
    ],
  ];
  const orders = customerIds.flatMap((customerId, n) =>
    (mixes[n] ?? []).map((steps) => {
      const story = orderStory(randomUUID(), customerId, steps);
      // The third customer pays in USD.
      return n === 2
        ? story.map((e) => ('currency' in e.data ? { ...e, data: { ...e.data, currency: 'USD' } } : e))
        : story;
    }),
  ) as TandemEvent[][];
  const registered = (customerId: string, creditLimit: number, time?: string) =>
    customerEvent(
      {
        type: 'CustomerRegistered',
        data: { customerId, name: 'N', email: 'n@example.com', currency: 'EUR', creditLimit },
      },
      customerId,
      time,
    );
  registered(customerIds[0]!, 1_000);
  // The topics are not ordered relative to each other: this one is seen first but stamped later than the orders.
  registered(customerIds[1]!, 2_000, '2026-11-29T06:00:00.000Z');
  const next = orders.map(() => 0);
  for (let round = 0; next.some((v, i) => v < (orders[i]?.length ?? 0)); round++) {
    orders.forEach((story, i) => {
      const version = next[i] ?? 0;
      const event = story[version];
      if (!event || (round + i) % 3 === 0) return;
      next[i] = version + 1;
      messages.push(eventMessage(event, { streamVersion: version + 1, time: at(), offset: offset++ }));
    });
    if (round === 2) {
      customerEvent(
        {
          type: 'CustomerCreditLimitChanged',
          data: { customerId: customerIds[0]!, creditLimit: 5_000, previousCreditLimit: 1_000 },
        },
        customerIds[0]!,
      );
    }
  }
  registered(customerIds[2]!, 3_000);

  for (const projection of [customerOrdersProjection, dailySalesProjection]) {
    const table = projection === customerOrdersProjection ? 'customer_orders' : 'daily_sales';
    for (const copy of [`${table}_batch`, `${table}_each`]) {
      await dataSource.query(`CREATE TABLE ${copy} (LIKE ${table} INCLUDING ALL)`);
    }
    let batchPathRuns = 0;
    const batchPath = projection.applyMany;
    expect(batchPath).toBeDefined();
    const batched = new BatchApplier(
      dataSource,
      {
        ...projection,
        applyMany: async (events, context) => {
          await batchPath!(events, context);
          batchPathRuns += 1;
        },
        // The batch path must not fall back to the per-event one here: that would hide a broken batch path.
        apply: () => Promise.reject(new Error('per-event path used')),
      },
      { namespace: `${projection.name}@batch`, table: (t) => `${t}_batch` },
    );
    const { applyMany: _batchPath, ...eventByEvent } = projection;
    const each = new BatchApplier(dataSource, eventByEvent, {
      namespace: `${projection.name}@each`,
      table: (t) => `${t}_each`,
    });
    const relevant = messages.filter((m) => projection.topics.includes(m.topic));
    // Cut into uneven batches, one of them redelivered.
    for (const [from, to] of [
      [0, 7],
      [7, 30],
      [20, 31],
      [31, relevant.length],
    ] as const) {
      const result = await batched.apply(relevant.slice(from, to));
      expect(result.deadLettered).toEqual([]);
    }
    // One per batch, and one more for the redelivered batch: cut as a continuation, it went to the continuing path
    // first, which runs the model while its checkpoints are checked, then rolls back when they do not stand there.
    expect(batchPathRuns).toBe(5);
    await each.apply(relevant);
    const key = table === 'daily_sales' ? 'day, currency' : 'customer_id';
    const rows = (t: string) => dataSource.query(`SELECT * FROM ${t} ORDER BY ${key}`);
    const built = await rows(`${table}_batch`);
    expect(built.length).toBeGreaterThan(1);
    if (table === 'daily_sales') {
      // Placed orders on both sides of the UTC midnight.
      expect(new Set(built.map((r: { day: Date }) => r.day.toISOString())).size).toBe(2);
    }
    expect(built).toEqual(await rows(`${table}_each`));
  }
});
