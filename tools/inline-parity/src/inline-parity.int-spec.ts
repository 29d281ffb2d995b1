import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ORDER_TOPIC, toKafkaHeaders, type ConsumedEvent, type EventEnvelope } from '@tandem/contracts';
import { customerExposureModel } from '@tandem/inline-models';
import { applyReadModel, migratedShape, shapeDifferences, type ReadModel } from '@tandem/platform/read-model';
import { createTestDatabase, isRealPostgres, type TestDatabase } from '@tandem/platform/testing';
import {
  createReadDataSource,
  CUSTOMER_ORDERS_PROJECTION,
  migrateReadDatabase,
  orderSummaryModel,
} from '@tandem/read/models';
import { BatchApplier, type IncomingMessage, type Projection } from '@tandem/read/projections';
import { decideOrder, type OrderCommand, type OrderCustomer, type OrderState } from '@tandem/write/domain';
import {
  createWriteDataSource,
  InlineCatchUp,
  InlineProjections,
  migrateWriteDatabase,
  PostgresCommandTransactions,
} from '@tandem/write/persistence';

/**
 * ARCHITECTURE decision 12, proven on two models: `customer-exposure` (a counter model, deployed inline) and the
 * order summary (a document model, deployed async) run inline (commands through the real command transactions on a
 * write DB, the models applied in each command's transaction) and run async (the same events, as the relay
 * publishes them, through the projection runtime's BatchApplier on a read DB) give the same rows, row by row; and
 * so does a rebuild from the event store.
 */
jest.setTimeout(180_000);

let writeDatabase: TestDatabase;
let readDatabase: TestDatabase;
let writeDb: DataSource;
let readDb: DataSource;

beforeAll(async () => {
  writeDatabase = await createTestDatabase('inline_parity_write');
  readDatabase = await createTestDatabase('inline_parity_read');
  writeDb = createWriteDataSource({ url: writeDatabase.url, poolSize: 8 });
  readDb = createReadDataSource({ url: readDatabase.url, poolSize: 2 });
  await writeDb.initialize();
  await readDb.initialize();
  await migrateWriteDatabase(writeDb);
  await migrateReadDatabase(readDb);
  // The order summary's table on the write DB too, as the read DB's migrations make it, to run that model inline.
  const readSchemaOnWriteDb = createReadDataSource({ url: writeDatabase.url, poolSize: 1 });
  await readSchemaOnWriteDb.initialize();
  await migrateReadDatabase(readSchemaOnWriteDb);
  await readSchemaOnWriteDb.destroy();
  // The same table on the read DB, as an async run of the model would have it migrated there.
  await readDb.query(`CREATE TABLE customer_exposure (customer_id uuid PRIMARY KEY, currency char(3) NOT NULL,
    open_count integer NOT NULL DEFAULT 0, open_total numeric NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL)`);
});

afterAll(async () => {
  for (const db of [writeDb, readDb]) if (db?.isInitialized) await db.destroy();
  await writeDatabase?.drop();
  await readDatabase?.drop();
});

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

type Step = 'line' | 'place' | 'ship' | 'cancel';
const LIVES: Step[][] = [
  ['line', 'line', 'place'],
  ['line', 'place', 'ship'],
  ['line', 'line', 'place', 'cancel'],
  ['line', 'cancel'],
  ['line'],
  ['line', 'place', 'ship'],
];

function commandFor(
  step: Step | 'create',
  orderId: string,
  customer: OrderCustomer,
  n: number,
): OrderCommand {
  switch (step) {
    case 'create':
      return { type: 'CreateOrder', orderId, customerId: customer.customerId, customer };
    case 'line':
      return {
        type: 'AddOrderLine',
        orderId,
        sku: `SKU-${n}`,
        quantity: 1 + (n % 4),
        unitPrice: 99 + 17 * n,
      };
    case 'place':
      return { type: 'PlaceOrder', orderId, customerCreditLimit: Number.MAX_SAFE_INTEGER };
    case 'ship':
      return { type: 'ShipOrder', orderId };
    case 'cancel':
      return { type: 'CancelOrder', orderId, reason: 'parity' };
  }
}

/** Load, decide, append: one command as the command service runs it, in one command transaction. */
async function command(
  transactions: PostgresCommandTransactions,
  orderId: string,
  decide: (s: OrderState | null) => OrderCommand,
) {
  await transactions.run(
    { correlationId: randomUUID(), commandId: randomUUID(), aggregateId: orderId },
    async ({ orders }) => {
      const state = await orders.load(orderId);
      const version = await orders.append(orderId, state?.version ?? 0, decideOrder(decide(state), state));
      return { outcome: 'changed', body: { id: orderId, version, consistencyToken: 'parity' } };
    },
  );
}

/** What the relay published, in outbox order, as Kafka would deliver it: a partition per key, offsets in order. */
async function publishedMessages(): Promise<IncomingMessage[]> {
  const rows = (await writeDb.query(
    `SELECT topic, message_key, envelope, payload FROM outbox ORDER BY position`,
  )) as Array<{ topic: string; message_key: string; envelope: EventEnvelope; payload: unknown }>;
  const offsets = [0, 0, 0];
  return rows.map((row) => {
    const partition = Number.parseInt(row.message_key.slice(0, 2), 16) % offsets.length;
    const offset = offsets[partition] ?? 0;
    offsets[partition] = offset + 1;
    return {
      topic: row.topic,
      partition,
      offset: String(offset),
      key: row.message_key,
      value: JSON.stringify(row.payload),
      headers: toKafkaHeaders(row.envelope),
    };
  });
}

/**
 * The model as an async projection. The runtime's `Projection` is the pre-definition shape (its name typed to the
 * projection service's own): both of its paths are `applyReadModel`, and checkpoints go under the model's name.
 */
function asAsyncProjection(model: ReadModel<ConsumedEvent>): Projection {
  return {
    name: CUSTOMER_ORDERS_PROJECTION,
    topics: [ORDER_TOPIC],
    apply: (projected, context) => applyReadModel(model, [projected], context),
    applyMany: (events, context) => applyReadModel(model, events, context),
  };
}

/** Each model's rows, in key order, every column as text where the driver would parse it. */
const MODELS = [
  {
    model: customerExposureModel,
    rows: (db: DataSource) =>
      db.query(
        `SELECT customer_id, currency, open_count, open_total::text AS open_total,
                to_json(updated_at) #>> '{}' AS updated_at
           FROM customer_exposure ORDER BY customer_id`,
      ) as Promise<Array<Record<string, unknown>>>,
  },
  {
    model: orderSummaryModel,
    rows: (db: DataSource) =>
      db.query(
        `SELECT order_id, customer_id, status, currency, lines, line_count, total::text AS total, version,
                to_json(created_at) #>> '{}' AS created_at, to_json(updated_at) #>> '{}' AS updated_at,
                to_json(placed_at) #>> '{}' AS placed_at, to_json(shipped_at) #>> '{}' AS shipped_at,
                to_json(cancelled_at) #>> '{}' AS cancelled_at, cancel_reason,
                to_json(lines_changed_at) #>> '{}' AS lines_changed_at
           FROM order_summary ORDER BY order_id`,
      ) as Promise<Array<Record<string, unknown>>>,
  },
] as const;

const rows = (db: DataSource) => MODELS[0].rows(db);

describe('inline and async: the same definition, the same rows', () => {
  it('builds the same table both ways', async () => {
    for (const db of [writeDb, readDb]) {
      const query = (sql: string, params: unknown[]) =>
        db.query(sql, params) as Promise<Array<Record<string, unknown>>>;
      for (const { model } of MODELS) {
        expect(shapeDifferences(model, await migratedShape(query, model.table))).toEqual([]);
      }
    }
  });

  it('gives the same rows, row by row, from the same events', async () => {
    const rand = random(20261201);
    const transactions = new PostgresCommandTransactions(writeDb, {
      inline: new InlineProjections(MODELS.map(({ model }) => model)),
    });
    const customers: OrderCustomer[] = Array.from({ length: 12 }, (_, i) => ({
      customerId: randomUUID(),
      currency: i % 3 === 0 ? 'JPY' : 'EUR',
    }));
    const orders = Array.from({ length: 90 }, () => ({
      id: randomUUID(),
      customer: customers[Math.floor(rand() * customers.length)] ?? {
        customerId: randomUUID(),
        currency: 'EUR',
      },
      life: LIVES[Math.floor(rand() * LIVES.length)] ?? [],
    }));
    // Orders advance in interleaved turns; on a real server, several at once (their transactions commit in any order).
    const workers = isRealPostgres() ? 6 : 1;
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (const [i, order] of orders.entries()) {
          if (i % workers !== w) continue;
          const steps: Array<Step | 'create'> = ['create', ...order.life];
          for (const [n, step] of steps.entries()) {
            await command(transactions, order.id, () => commandFor(step, order.id, order.customer, n));
          }
        }
      }),
    );
    const inline = await rows(writeDb);
    expect(inline.length).toBeGreaterThan(5);
    expect(inline.some((r) => Number(r['open_count']) > 0)).toBe(true);
    expect(new Set(inline.map((r) => r['currency']))).toEqual(new Set(['EUR', 'JPY']));

    const summaries = await MODELS[1].rows(writeDb);
    expect(summaries).toHaveLength(orders.length);
    // The column added to the order summary's definition (with its migration) is filled inline too.
    expect(summaries.every((r) => typeof r['lines_changed_at'] === 'string')).toBe(true);

    // The async run: the published events in batches cut at random places, a few redelivered.
    const messages = await publishedMessages();
    expect(messages.length).toBe(
      Number(((await writeDb.query(`SELECT count(*) AS n FROM events`)) as Array<{ n: string }>)[0]?.n),
    );
    for (const { model, rows: rowsOf } of MODELS) {
      const applier = new BatchApplier(readDb, asAsyncProjection(model), { namespace: model.name });
      const paths = new Set<string>();
      for (let at = 0; at < messages.length;) {
        const size = 1 + Math.floor(rand() * 40);
        const batch = messages.slice(at, at + size);
        const redelivered = rand() < 0.2 ? messages.slice(Math.max(0, at - 5), at) : [];
        paths.add((await applier.apply([...redelivered, ...batch])).path);
        at += size;
      }
      expect(paths).toEqual(new Set(['continuing', 'general']));
      expect(await rowsOf(readDb)).toEqual(await rowsOf(writeDb));
    }

    // The third way: a rebuild from the event store.
    const before = await Promise.all(MODELS.map(({ rows: rowsOf }) => rowsOf(writeDb)));
    const catchUp = new InlineCatchUp(writeDb, new InlineProjections(MODELS.map(({ model }) => model)));
    for (const { model } of MODELS) await catchUp.rebuild(model.name);
    expect(await Promise.all(MODELS.map(({ rows: rowsOf }) => rowsOf(writeDb)))).toEqual(before);
  });
});
