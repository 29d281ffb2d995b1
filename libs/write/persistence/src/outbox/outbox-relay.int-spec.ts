import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { OrderEvent } from '@tandem/contracts';
import { createLogger } from '@tandem/platform/observability';
import { isRealPostgres, waitFor } from '@tandem/platform/testing';
import { PostgresOrderStore } from '../stores/postgres-order-store';
import { createWriteTestDatabase, type WriteTestDatabase } from '../test/write-test-database';
import { RecordingPublisher } from '../test/recording-publisher';
import type { CommandOptions } from '../transactions/command-transactions';
import { PostgresCommandTransactions } from '../transactions/postgres-command-transactions';
import { Sql } from '../transactions/sql';
import { OUTBOX_CHANNEL, OutboxRelay, type OutboxRelayOptions } from './outbox-relay';

// Embedded PGlite starts slowly on a busy machine.
jest.setTimeout(60_000);

const logger = createLogger('outbox-relay-test', 'silent');
let db: WriteTestDatabase;
let transactions: PostgresCommandTransactions;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  db = await createWriteTestDatabase('outbox_relay');
  transactions = new PostgresCommandTransactions(db.dataSource);
});
afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  await db.dataSource.query(
    `UPDATE outbox SET published_at = now(), latest_published_at = now()
      WHERE published_at IS NULL OR latest_published_at IS NULL`,
  );
});
afterAll(() => db.close());

function startRelay(publisher: RecordingPublisher, options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
  const relay = new OutboxRelay({
    databaseUrl: db.url,
    publisher,
    logger,
    pollIntervalMs: 50,
    standbyRetryMs: 100,
    ...options,
  });
  relays.push(relay);
  relay.start();
  return relay;
}

const origin = (): CommandOptions => ({ correlationId: randomUUID(), commandId: randomUUID() });
const created = (orderId: string): OrderEvent => ({
  type: 'OrderCreated',
  data: { orderId, customerId: randomUUID(), currency: 'EUR' },
});
const lineAdded = (orderId: string, sku: string): OrderEvent => ({
  type: 'OrderLineAdded',
  data: { orderId, sku, quantity: 1, unitPrice: { amount: 100, currency: 'EUR' } },
});
const V1 = 'orders.order.v1';

async function append(orderId: string, after: number, events: OrderEvent[]): Promise<void> {
  await transactions.run(origin(), async ({ orders }) => {
    const version = await orders.append(orderId, after, events);
    return { outcome: 'changed', body: { id: orderId, version, consistencyToken: 'x' } };
  });
}

async function unpublished(): Promise<number> {
  const [row] = (await db.dataSource.query(
    `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL OR latest_published_at IS NULL`,
  )) as Array<{ n: string }>;
  return Number(row?.n);
}

it('publishes committed events in order per aggregate and marks them published', async () => {
  const publisher = new RecordingPublisher();
  const [a, b] = [randomUUID(), randomUUID()];
  await append(a, 0, [created(a)]);
  await append(b, 0, [created(b), lineAdded(b, 'X')]);
  await append(a, 1, [lineAdded(a, 'Y'), lineAdded(a, 'Z')]);
  startRelay(publisher);

  await waitFor(async () => (await unpublished()) === 0, { what: 'outbox drained' });
  for (const topic of [V1, 'orders.order.v2']) {
    expect(publisher.versionsOf(a, topic)).toEqual([1, 2, 3]);
    expect(publisher.versionsOf(b, topic)).toEqual([1, 2]);
  }
  // One row, two messages: its v1 form first, then its latest, the same event (ce_id) on each topic.
  const ofA = publisher.messages.filter((m) => m.key === a);
  expect(ofA.map((m) => [m.topic, m.envelope.type])).toEqual([
    [V1, 'tandem.orders.OrderCreated.v1'],
    ['orders.order.v2', 'tandem.orders.OrderCreated.v1'],
    [V1, 'tandem.orders.OrderLineAdded.v1'],
    ['orders.order.v2', 'tandem.orders.OrderLineAdded.v2'],
    [V1, 'tandem.orders.OrderLineAdded.v1'],
    ['orders.order.v2', 'tandem.orders.OrderLineAdded.v2'],
  ]);
  expect(ofA[2]?.envelope.id).toBe(ofA[3]?.envelope.id);
  expect(ofA[2]?.payload).toEqual({ orderId: a, sku: 'Y', quantity: 1, unitPrice: 100 });
  expect(ofA[3]?.payload).toEqual({
    orderId: a,
    sku: 'Y',
    quantity: 1,
    unitPrice: { amount: 100, currency: 'EUR' },
  });
});

it('publishes rows the previous release wrote on orders.order.v2 too, a v1 line upcast with its order currency', async () => {
  const publisher = new RecordingPublisher();
  const order = randomUUID();
  // As the previous release wrote them: the events without schema_version, the outbox without the latest form.
  const old = [
    ['OrderCreated', { orderId: order, customerId: randomUUID(), currency: 'JPY' }],
    ['OrderLineAdded', { orderId: order, sku: 'OLD', quantity: 2, unitPrice: 300 }],
  ] as const;
  for (const [i, [type, data]] of old.entries()) {
    const id = randomUUID();
    const envelope = {
      id,
      type: `tandem.orders.${type}.v1`,
      source: '/tandem/command-service',
      subject: order,
      time: new Date().toISOString(),
      streamVersion: i + 1,
      correlationId: 'old',
      causationId: 'old',
    };
    await db.dataSource.query(
      `INSERT INTO events (stream_id, stream_type, version, event_id, type, data, metadata)
       VALUES ($1, 'order', $2, $3, $4, $5, '{}')`,
      [order, i + 1, id, type, JSON.stringify(data)],
    );
    await db.dataSource.query(
      `INSERT INTO outbox (event_id, topic, message_key, envelope, payload) VALUES ($1, $2, $3, $4, $5)`,
      [id, V1, order, JSON.stringify(envelope), JSON.stringify(data)],
    );
  }
  await append(order, 2, [{ type: 'OrderLineRemoved', data: { orderId: order, sku: 'OLD' } }]);
  startRelay(publisher);
  await waitFor(async () => (await unpublished()) === 0, { what: 'outbox drained' });
  expect(publisher.versionsOf(order, V1)).toEqual([1, 2, 3]);
  expect(publisher.versionsOf(order, 'orders.order.v2')).toEqual([1, 2, 3]);
  expect(
    publisher.messages.find((m) => m.topic === 'orders.order.v2' && m.envelope.streamVersion === 2),
  ).toMatchObject({
    envelope: { type: 'tandem.orders.OrderLineAdded.v2' },
    payload: { orderId: order, sku: 'OLD', quantity: 2, unitPrice: { amount: 300, currency: 'JPY' } },
  });
});

it('sends on orders.order.v2 alone once the v1 window has closed, and marks the rows done', async () => {
  const publisher = new RecordingPublisher();
  const order = randomUUID();
  await append(order, 0, [created(order), lineAdded(order, 'A')]);
  startRelay(publisher, { publishV1Until: new Date(Date.now() - 1000) });
  await waitFor(async () => (await unpublished()) === 0, { what: 'outbox drained' });
  expect(publisher.versionsOf(order, 'orders.order.v2')).toEqual([1, 2]);
  expect(publisher.versionsOf(order, V1)).toEqual([]);
});

it('lets a relay of the previous release publish v1 meanwhile: the rest goes on v2 when this one takes over', async () => {
  const publisher = new RecordingPublisher();
  const order = randomUUID();
  await append(order, 0, [created(order), lineAdded(order, 'A')]);
  // What the previous release's relay does with the rows: sends them on their topic and sets published_at only.
  await db.dataSource.query(`UPDATE outbox SET published_at = now() WHERE message_key = $1`, [order]);
  await append(order, 2, [lineAdded(order, 'B')]);
  startRelay(publisher);
  await waitFor(async () => (await unpublished()) === 0, { what: 'outbox drained' });
  expect(publisher.versionsOf(order, V1)).toEqual([3]);
  expect(publisher.versionsOf(order, 'orders.order.v2')).toEqual([1, 2, 3]);
});

it('keeps every event while the broker fails, and publishes them once it answers again', async () => {
  const publisher = new RecordingPublisher();
  publisher.failuresLeft = 3;
  const order = randomUUID();
  await append(order, 0, [created(order), lineAdded(order, 'A')]);
  startRelay(publisher);
  await waitFor(async () => (await unpublished()) === 0, { what: 'outbox drained', timeoutMs: 15_000 });
  expect(publisher.versionsOf(order)).toEqual([1, 2]);
});

// The late-commit trap needs two transactions in flight at once; PGlite runs one session, which serialises them.
(isRealPostgres() ? it : it.skip)(
  'never skips an event whose transaction commits after a later position was published',
  async () => {
    const publisher = new RecordingPublisher();
    startRelay(publisher);
    const [late, early] = [randomUUID(), randomUUID()];

    // A takes its position first and stays open.
    const runnerA = db.dataSource.createQueryRunner();
    await runnerA.connect();
    await runnerA.startTransaction();
    const sqlA = new Sql(runnerA);
    await new PostgresOrderStore(sqlA, origin()).append(late, 0, [created(late)]);
    // The store holds its append for the commit's round trip: the next statement on the same Sql sends it first.
    const [positionA] = await sqlA.rows<{ p: string }>(`SELECT max(position)::text AS p FROM outbox`);

    // B takes a higher position and commits; the relay publishes it while A is still open.
    await append(early, 0, [created(early)]);
    await waitFor(() => publisher.versionsOf(early).length === 1, { what: 'B published' });
    const positionB = publisher.messages.find((m) => m.key === early)?.position;
    expect(BigInt(positionB ?? 0)).toBeGreaterThan(BigInt(positionA?.p ?? 0));
    expect(publisher.versionsOf(late)).toEqual([]);

    // A commits late, with the lower position: it is published too, and its stream continues in order.
    await runnerA.commitTransaction();
    await runnerA.release();
    await append(late, 1, [lineAdded(late, 'L')]);
    await waitFor(() => publisher.versionsOf(late).length === 2, { what: 'A published' });
    expect(publisher.versionsOf(late)).toEqual([1, 2]);
    // The relay marks a batch just after Kafka acknowledged it: wait for the mark, not only the publish.
    await waitFor(async () => (await unpublished()) === 0, { what: 'every row marked' });
  },
);

// Advisory locks and LISTEN are per session; PGlite has one session shared by every connection.
(isRealPostgres() ? it : it.skip)('wakes on NOTIFY without waiting for the poll', async () => {
  const publisher = new RecordingPublisher();
  const relay = startRelay(publisher, { pollIntervalMs: 60_000 });
  await waitFor(() => relay.isLeader, { what: 'relay active' });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const order = randomUUID();
  const started = Date.now();
  await append(order, 0, [created(order)]);
  await waitFor(() => publisher.versionsOf(order).length === 1, { what: 'published', timeoutMs: 5000 });
  expect(Date.now() - started).toBeLessThan(2000);
});

(isRealPostgres() ? it : it.skip)(
  "is woken in-process by its own replica's commands, which send no NOTIFY; other writers still notify",
  async () => {
    const publisher = new RecordingPublisher();
    const relay = startRelay(publisher, { pollIntervalMs: 60_000 });
    await waitFor(() => relay.isLeader, { what: 'relay active' });
    const listener = new Client({ connectionString: db.url });
    await listener.connect();
    let notices = 0;
    listener.on('notification', () => notices++);
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const local = new PostgresCommandTransactions(db.dataSource, { relay });
      const order = randomUUID();
      const started = Date.now();
      await local.run(origin(), async ({ orders }) => {
        const version = await orders.append(order, 0, [created(order)]);
        return { outcome: 'created', body: { id: order, version, consistencyToken: 'x' } };
      });
      // Not the 60 s poll: the nudge after COMMIT.
      await waitFor(() => publisher.versionsOf(order).length === 1, { what: 'published', timeoutMs: 5000 });
      expect(Date.now() - started).toBeLessThan(2000);
      // Another writer (a replica whose relay is a standby, an older release) notifies as before.
      const other = randomUUID();
      await append(other, 0, [created(other)]);
      await waitFor(() => publisher.versionsOf(other).length === 1, { what: 'published', timeoutMs: 5000 });
      await waitFor(() => notices === 1, { what: "the other writer's notice", timeoutMs: 2000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(notices).toBe(1);
    } finally {
      await listener.end();
    }
  },
);

(isRealPostgres() ? it : it.skip)('is active in one replica at a time; a standby takes over', async () => {
  const first = new RecordingPublisher();
  const second = new RecordingPublisher();
  const relayOne = startRelay(first);
  await waitFor(() => relayOne.isLeader, { what: 'first relay active' });
  const relayTwo = startRelay(second);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(relayTwo.isLeader).toBe(false);

  const before = randomUUID();
  await append(before, 0, [created(before)]);
  await waitFor(() => first.versionsOf(before).length === 1, { what: 'first relay published' });
  expect(second.messages).toEqual([]);

  await relayOne.stop();
  await waitFor(() => relayTwo.isLeader, { what: 'standby took over', timeoutMs: 5000 });
  const after = randomUUID();
  await append(after, 0, [created(after)]);
  await waitFor(() => second.versionsOf(after).length === 1, { what: 'standby published', timeoutMs: 5000 });
});
