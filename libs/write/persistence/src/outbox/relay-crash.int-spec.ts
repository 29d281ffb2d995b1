import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { fromKafkaHeaders, type OrderEvent } from '@tandem/contracts';
import { createKafka, ensureTopics } from '@tandem/platform/kafka';
import { createLogger } from '@tandem/platform/observability';
import { startTestKafka, waitFor, type TestKafka } from '@tandem/platform/testing';
import { createWriteTestDatabase, type WriteTestDatabase } from '../test/write-test-database';
import { PostgresCommandTransactions } from '../transactions/postgres-command-transactions';

// Two child processes (swc-compiled on start) and a broker: slow on a busy machine.
jest.setTimeout(120_000);

const root = path.resolve(__dirname, '../../../../..');
let db: WriteTestDatabase;
let broker: TestKafka;

beforeAll(async () => {
  db = await createWriteTestDatabase('relay_crash');
  broker = await startTestKafka('relay_crash');
  const kafka = createKafka({
    clientId: 'crash-test',
    brokers: [broker.bootstrap],
    logger: createLogger('t', 'silent'),
  });
  await ensureTopics(kafka, [
    { topic: broker.topic('orders.order.v1'), numPartitions: 3 },
    { topic: broker.topic('orders.order.v2'), numPartitions: 3 },
    { topic: broker.topic('orders.customer.v1'), numPartitions: 3 },
  ]);
});
afterAll(async () => {
  await broker?.stop();
  await db?.close();
});

function runRelay(crash: boolean): { exited: Promise<NodeJS.Signals | number | null>; stop(): void } {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'libs/write/persistence/src/test/relay-process.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        RELAY_TEST_BROKERS: broker.bootstrap,
        RELAY_TEST_TOPIC_PREFIX: broker.prefix,
        RELAY_TEST_DATABASE_URL: db.url,
        CRASH_AFTER_PUBLISH: crash ? '1' : '0',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  return { exited, stop: () => child.kill('SIGTERM') };
}

it('republishes a batch whose progress was not recorded when the relay died: nothing lost, order kept', async () => {
  const transactions = new PostgresCommandTransactions(db.dataSource);
  const orders = Array.from({ length: 4 }, () => randomUUID());
  for (const orderId of orders) {
    const events: OrderEvent[] = [
      { type: 'OrderCreated', data: { orderId, customerId: randomUUID(), currency: 'EUR' } },
      ...['A', 'B', 'C'].map((sku): OrderEvent => ({
        type: 'OrderLineAdded',
        data: { orderId, sku, quantity: 1, unitPrice: { amount: 1, currency: 'EUR' } },
      })),
    ];
    await transactions.run(
      { correlationId: randomUUID(), commandId: randomUUID() },
      async ({ orders: store }) => {
        const version = await store.append(orderId, 0, events);
        return { outcome: 'created', body: { id: orderId, version, consistencyToken: 'x' } };
      },
    );
  }

  // Dies after Kafka acknowledged the first batch of 5, before marking it.
  const crashing = runRelay(true);
  expect(await crashing.exited).toBe('SIGKILL');
  const [marked] = (await db.dataSource.query(
    `SELECT count(*) AS n FROM outbox WHERE published_at IS NOT NULL`,
  )) as Array<{ n: string }>;
  expect(Number(marked?.n)).toBe(0);

  const survivor = runRelay(false);
  try {
    await waitFor(
      async () => {
        const [left] = (await db.dataSource.query(
          `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`,
        )) as Array<{ n: string }>;
        return Number(left?.n) === 0;
      },
      { what: 'outbox drained by the restarted relay', timeoutMs: 60_000 },
    );
  } finally {
    survivor.stop();
    await survivor.exited;
  }

  const kafka = new Kafka({
    clientId: 'crash-reader',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: broker.group(`crash-reader-${randomUUID()}`) });
  const seen: Array<{ key: string; id: string; version: number }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: broker.topic('orders.order.v1'), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const envelope = fromKafkaHeaders(message.headers);
        seen.push({ key: String(message.key), id: envelope.id, version: envelope.streamVersion });
        if (process.env['DEBUG_CRASH'])
          console.log(partition, message.offset, String(message.key), envelope.streamVersion);
      },
    });
    await waitFor(() => new Set(seen.map((m) => m.id)).size === 16, {
      what: '16 distinct events',
      timeoutMs: 30_000,
    });
  } finally {
    await consumer.disconnect();
  }
  // The first batch went out twice; every event is there at least once.
  expect(seen.length).toBeGreaterThanOrEqual(16 + 5);
  for (const orderId of orders) {
    const versions = seen.filter((m) => m.key === orderId).map((m) => m.version);
    // Per aggregate, versions first appear in order 1..4 (a replayed batch only repeats what came before).
    const firstSeen = versions.filter((v, i) => versions.indexOf(v) === i);
    expect(firstSeen).toEqual([1, 2, 3, 4]);
  }
});
