import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { ORDER_TOPIC } from '@tandem/contracts';
import { startDevBroker, type DevBroker } from '@tandem/kafka-dev-broker';
import { createLogger } from '@tandem/platform/observability';
import { createReadDataSource, migrateReadDatabase } from '@tandem/read/models';
import { createTestDatabase, waitFor, type TestDatabase } from '@tandem/platform/testing';
import { eventMessage, orderStory } from '../testing/event-messages';
import { BatchApplier } from './batch-applier';
import { PROJECTIONS } from './projection-catalog';
import { ProjectionConsumer } from './projection-consumer';

/**
 * Found by the fault matrix (issue 13, fault 5): Kafka restarted under load. The broker comes back without the
 * group's members, so the consumer's next offset commit is refused (unknown member); that error, thrown from the
 * batch, made kafkajs stop the consumer for good (it restarts only on errors it deems retriable): the projection
 * stopped consuming, silently, until the process was restarted. A consumer must come back from whatever crashes it.
 */
jest.setTimeout(90_000);

let broker: DevBroker | null = null;
let port: number;
let dataDir: string;
let database: TestDatabase;
let dataSource: DataSource;
let producer: Producer;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const startBroker = async () => {
  broker = await startDevBroker({ port, dataDir, initialRebalanceDelayMs: 0, logger: () => undefined });
};

beforeAll(async () => {
  port = await freePort();
  dataDir = mkdtempSync(path.join(tmpdir(), 'broker-restart-'));
  await startBroker();
  database = await createTestDatabase('broker_restart');
  dataSource = createReadDataSource({ url: database.url, poolSize: 4 });
  await dataSource.initialize();
  await migrateReadDatabase(dataSource);
  producer = new Kafka({
    clientId: 'test',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
  }).producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect().catch(() => undefined);
  if (dataSource?.isInitialized) await dataSource.destroy();
  await database?.drop();
  await broker?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const produced: string[] = [];
async function produceOrder(): Promise<void> {
  const orderId = randomUUID();
  const messages = orderStory(orderId, randomUUID(), ['line']).map((event, i) =>
    eventMessage(event, { streamVersion: i + 1 }),
  );
  await producer.send({
    topic: ORDER_TOPIC,
    messages: messages.map(({ key, value, headers }) => ({ key, value, headers })),
  });
  produced.push(orderId);
}

/** How many of the orders produced (acknowledged by the broker) are fully applied. */
const applied = async () =>
  Number(
    (
      (await dataSource.query(
        `SELECT count(*)::int AS n FROM order_summary WHERE version = 2 AND order_id = ANY($1::uuid[])`,
        [produced],
      )) as Array<{ n: number }>
    )[0]?.n,
  );

it('consumes again after Kafka restarts under a steady flow, and applies everything once', async () => {
  const consumer = new ProjectionConsumer({
    kafka: new Kafka({
      clientId: 'projection-service',
      brokers: [`127.0.0.1:${port}`],
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 100, retries: 8 },
    }),
    applier: new BatchApplier(dataSource, PROJECTIONS['order-summary']),
    groupId: `restart-${randomUUID()}`,
    logger: createLogger('test', 'silent'),
    liveness: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000, rebalanceTimeoutMs: 30_000 },
  });
  await consumer.start();
  try {
    for (let i = 0; i < 10; i++) await produceOrder();
    await waitFor(async () => (await applied()) === produced.length, { timeoutMs: 20_000, what: 'warm' });

    let flowing = true;
    const flow = (async () => {
      while (flowing) {
        await produceOrder().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await broker?.stop();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await startBroker();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    flowing = false;
    await flow;
    await waitFor(async () => (await applied()) === produced.length, {
      timeoutMs: 45_000,
      what: `all ${produced.length} orders applied after the restart`,
    });
  } finally {
    await consumer.stop();
  }
});
