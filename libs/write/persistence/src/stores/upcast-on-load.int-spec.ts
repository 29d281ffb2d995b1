import { randomUUID } from 'node:crypto';
import type { OrderCustomer } from '@tandem/write/domain';
import { STORED_EVENT_COLUMNS, storedModelEvent, type StoredEventRow } from '../inline/stored-events';
import { orderCommand } from '../test/order-commands';
import { createWriteTestDatabase, type WriteTestDatabase } from '../test/write-test-database';
import { PostgresCommandTransactions } from '../transactions/postgres-command-transactions';

/**
 * Events written before OrderLineAdded.v2 stay in the event store as they were written: the write side upcasts them
 * each time it loads their stream, folds them with the v2 events written since, and never rewrites a row. The old
 * rows are inserted here as the previous release's statement wrote them (its columns: no `schema_version`).
 */
jest.setTimeout(60_000);

let db: WriteTestDatabase;
const customer: OrderCustomer = { customerId: randomUUID(), currency: 'CHF' };

beforeAll(async () => {
  db = await createWriteTestDatabase('upcast_on_load');
});
afterAll(() => db.close());

/** The previous release's append, column for column (postgres-order-store.ts before v2). */
async function insertAsPreviousRelease(orderId: string): Promise<void> {
  const rows = [
    ['OrderCreated', { orderId, customerId: customer.customerId, currency: 'CHF' }],
    ['OrderLineAdded', { orderId, sku: 'OLD-1', quantity: 2, unitPrice: 1999 }],
    ['OrderLineAdded', { orderId, sku: 'OLD-2', quantity: 1, unitPrice: 500 }],
  ] as const;
  for (const [index, [type, data]] of rows.entries()) {
    await db.dataSource.query(
      `INSERT INTO events (stream_id, stream_type, version, event_id, type, data, metadata, recorded_at)
       VALUES ($1, 'order', $2, $3, $4, $5, $6, now())`,
      [
        orderId,
        index + 1,
        randomUUID(),
        type,
        JSON.stringify(data),
        JSON.stringify({ correlationId: 'old' }),
      ],
    );
  }
}

async function storedRows(orderId: string) {
  return (await db.dataSource.query(
    `SELECT version, type, schema_version, data FROM events WHERE stream_id = $1 ORDER BY version`,
    [orderId],
  )) as Array<{ version: number; type: string; schema_version: number; data: Record<string, unknown> }>;
}

it('folds a stream the previous release wrote, appends v2 after it, and leaves the old rows as they were', async () => {
  const orderId = randomUUID();
  await insertAsPreviousRelease(orderId);
  const before = await storedRows(orderId);
  expect(before.map((r) => r.schema_version)).toEqual([1, 1, 1]);

  const transactions = new PostgresCommandTransactions(db.dataSource);
  // The v1 lines count: 2 × 1999 + 500, in the order's currency; the new line is decided on top of them.
  await orderCommand(transactions, orderId, (state) => {
    expect(state).toMatchObject({
      currency: 'CHF',
      total: 4498,
      version: 3,
      lines: [
        { sku: 'OLD-1', quantity: 2, unitPrice: 1999 },
        { sku: 'OLD-2', quantity: 1, unitPrice: 500 },
      ],
    });
    return { type: 'AddOrderLine', orderId, sku: 'NEW-1', quantity: 1, unitPrice: 2 };
  });
  await orderCommand(transactions, orderId, (state) => {
    expect(state?.total).toBe(4500);
    return { type: 'PlaceOrder', orderId, customerCreditLimit: 1_000_000 };
  });

  const after = await storedRows(orderId);
  expect(after.slice(0, 3)).toEqual(before);
  expect(after.slice(3)).toEqual([
    {
      version: 4,
      type: 'OrderLineAdded',
      schema_version: 2,
      data: { orderId, sku: 'NEW-1', quantity: 1, unitPrice: { amount: 2, currency: 'CHF' } },
    },
    {
      version: 5,
      type: 'OrderPlaced',
      schema_version: 1,
      data: { orderId, customerId: customer.customerId, total: 4500, currency: 'CHF' },
    },
  ]);
});

it('writes v1 with EVENT_VERSION_WRITTEN=1, for a release that cannot read v2, and reads it back', async () => {
  const orderId = randomUUID();
  const transactions = new PostgresCommandTransactions(db.dataSource, { eventVersionWritten: 1 });
  await orderCommand(transactions, orderId, () => ({
    type: 'CreateOrder',
    orderId,
    customerId: customer.customerId,
    customer,
  }));
  await orderCommand(transactions, orderId, () => ({
    type: 'AddOrderLine',
    orderId,
    sku: 'A',
    quantity: 3,
    unitPrice: 7,
  }));
  expect((await storedRows(orderId))[1]).toEqual({
    version: 2,
    type: 'OrderLineAdded',
    schema_version: 1,
    data: { orderId, sku: 'A', quantity: 3, unitPrice: 7 },
  });
  await orderCommand(new PostgresCommandTransactions(db.dataSource), orderId, (state) => {
    expect(state?.total).toBe(21);
    return { type: 'PlaceOrder', orderId, customerCreditLimit: 1_000_000 };
  });
});

it('gives the outbox the v1 form the previous relay publishes, and the v2 form beside it', async () => {
  const orderId = randomUUID();
  const transactions = new PostgresCommandTransactions(db.dataSource);
  await orderCommand(transactions, orderId, () => ({
    type: 'CreateOrder',
    orderId,
    customerId: customer.customerId,
    customer,
  }));
  await orderCommand(transactions, orderId, () => ({
    type: 'AddOrderLine',
    orderId,
    sku: 'A',
    quantity: 1,
    unitPrice: 42,
  }));
  const outbox = (await db.dataSource.query(
    `SELECT topic, envelope->>'type' AS type, payload, latest_payload FROM outbox WHERE message_key = $1
      ORDER BY position`,
    [orderId],
  )) as Array<{ topic: string; type: string; payload: unknown; latest_payload: unknown }>;
  expect(outbox).toEqual([
    {
      topic: 'orders.order.v1',
      type: 'tandem.orders.OrderCreated.v1',
      payload: { orderId, customerId: customer.customerId, currency: 'CHF' },
      latest_payload: null,
    },
    {
      topic: 'orders.order.v1',
      type: 'tandem.orders.OrderLineAdded.v1',
      payload: { orderId, sku: 'A', quantity: 1, unitPrice: 42 },
      latest_payload: { orderId, sku: 'A', quantity: 1, unitPrice: { amount: 42, currency: 'CHF' } },
    },
  ]);
});

it('gives inline models the stored events at their latest version, the currency of a v1 line from its order', async () => {
  const orderId = randomUUID();
  await insertAsPreviousRelease(orderId);
  await orderCommand(new PostgresCommandTransactions(db.dataSource), orderId, () => ({
    type: 'AddOrderLine',
    orderId,
    sku: 'NEW',
    quantity: 1,
    unitPrice: 1,
  }));
  // As a catch-up reads them: only the lines, without the OrderCreated that has the currency.
  const rows = (await db.dataSource.query(
    `SELECT ${STORED_EVENT_COLUMNS} FROM events e WHERE e.stream_id = $1 AND e.type = 'OrderLineAdded'
      ORDER BY e.version`,
    [orderId],
  )) as StoredEventRow[];
  expect(rows.map((row) => storedModelEvent(row))).toEqual(
    ['OLD-1', 'OLD-2', 'NEW'].map((sku, i) => ({
      envelope: expect.objectContaining({ type: 'tandem.orders.OrderLineAdded.v2', streamVersion: i + 2 }),
      event: {
        type: 'OrderLineAdded',
        data: {
          orderId,
          sku,
          quantity: [2, 1, 1][i],
          unitPrice: { amount: [1999, 500, 1][i], currency: 'CHF' },
        },
      },
    })),
  );
});
