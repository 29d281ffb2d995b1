import { randomUUID } from 'node:crypto';
import type { OrderEvent } from '@tandem/contracts';
import { createLogger } from '@tandem/platform/observability';
import { isRealPostgres, waitFor } from '@tandem/platform/testing';
import { PostgresOrderStore } from '../stores/postgres-order-store';
import { createWriteTestDatabase, type WriteTestDatabase } from '../test/write-test-database';
import { RecordingPublisher } from '../test/recording-publisher';
import type { CommandOptions } from '../transactions/command-transactions';
import { PostgresCommandTransactions } from '../transactions/postgres-command-transactions';
import { Sql } from '../transactions/sql';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';

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
  await db.dataSource.query(`UPDATE outbox SET published_at = now() WHERE published_at IS NULL`);
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
  data: { orderId, sku, quantity: 1, unitPrice: 100 },
});

async function append(orderId: string, after: number, events: OrderEvent[]): Promise<void> {
  await transactions.run(origin(), async ({ orders }) => {
    const version = await orders.append(orderId, after, events);
    return { outcome: 'changed', body: { id: orderId, version, consistencyToken: 'x' } };
  });
}

async function unpublished(): Promise<number> {
  const [row] = (await db.dataSource.query(
    `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`,
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
  expect(publisher.versionsOf(a)).toEqual([1, 2, 3]);
  expect(publisher.versionsOf(b)).toEqual([1, 2]);
  expect(publisher.messages.find((m) => m.key === a)?.topic).toBe('orders.order.v1');
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
    await new PostgresOrderStore(new Sql(runnerA), origin()).append(late, 0, [created(late)]);
    const [positionA] = (await runnerA.query(`SELECT max(position)::text AS p FROM outbox`)) as Array<{
      p: string;
    }>;

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
    expect(await unpublished()).toBe(0);
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
