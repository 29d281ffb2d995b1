import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { ORDER_TOPIC } from '@tandem/contracts';
import { startDevBroker, type DevBroker } from '@tandem/kafka-dev-broker';
import { createLogger } from '@tandem/platform/observability';
import { createReadDataSource, migrateReadDatabase } from '@tandem/read/models';
import { createTestDatabase, isRealPostgres, waitFor, type TestDatabase } from '@tandem/platform/testing';
import { eventMessage, orderStory } from '../testing/event-messages';
import { BatchApplier } from './batch-applier';
import type { Projection } from './projection';
import { PROJECTIONS } from './projection-catalog';
import { ProjectionConsumer } from './projection-consumer';

const orderSummaryProjection = PROJECTIONS['order-summary'];

/**
 * A batch that takes longer than the session timeout must not get its live consumer evicted: kafkajs heartbeats
 * only between batches, so the consumer heartbeats while it applies one. With the projection service's settings
 * (6 s session, 1 s heartbeat), the first batch here takes 9 s in the read DB; the broker must see the member alive
 * throughout (no session expiry, no rebalance) and the batch's offsets must commit once, in the first generation.
 */
jest.setTimeout(60_000);

// Embedded PGlite runs in this process: its pg_sleep blocks the event loop, heartbeats included. Real server only.
const testOnServer = isRealPostgres() ? test : test.skip;

let broker: DevBroker;
let database: TestDatabase;
let dataSource: DataSource;
let producer: Producer;
const brokerLog: string[] = [];

beforeAll(async () => {
  broker = await startDevBroker({
    port: 0,
    initialRebalanceDelayMs: 0,
    logger: (line) => brokerLog.push(line),
  });
  database = await createTestDatabase('projection_consumer');
  dataSource = createReadDataSource({ url: database.url, poolSize: 2 });
  await dataSource.initialize();
  await migrateReadDatabase(dataSource);
  const kafka = new Kafka({ clientId: 'test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  if (dataSource?.isInitialized) await dataSource.destroy();
  await database?.drop();
  await broker?.stop();
});

testOnServer(
  'heartbeats through a batch three halves of the session timeout long, and stays in its generation',
  async () => {
    const orderId = randomUUID();
    const messages = orderStory(orderId, randomUUID(), ['line', 'line', 'place']).map((event, i) =>
      eventMessage(event, { streamVersion: i + 1 }),
    );
    await producer.send({
      topic: ORDER_TOPIC,
      messages: messages.map(({ key, value, headers }) => ({ key, value, headers })),
    });

    let slowBatches = 0;
    const { applyMany: _batchPath, ...eventByEvent } = orderSummaryProjection;
    const slow: Projection = {
      ...eventByEvent,
      async apply(projected, context) {
        if (slowBatches === 0) {
          slowBatches += 1;
          await context.query('SELECT pg_sleep(9)', []);
        }
        await eventByEvent.apply(projected, context);
      },
    };
    const consumer = new ProjectionConsumer({
      kafka: new Kafka({ clientId: 'slow', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }),
      applier: new BatchApplier(dataSource, slow),
      groupId: `slow-${randomUUID()}`,
      logger: createLogger('test', 'silent'),
      liveness: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000, rebalanceTimeoutMs: 30_000 },
    });
    const startedAt = Date.now();
    await consumer.start();
    try {
      await waitFor(() => consumer.partitions().some((p) => p.committed === String(messages.length)), {
        timeoutMs: 30_000,
      });
      expect(Date.now() - startedAt).toBeGreaterThan(9_000);
      expect(slowBatches).toBe(1);
      expect(brokerLog.filter((line) => line.includes('session timeout'))).toEqual([]);
      // The one rebalance is the first join's.
      expect(brokerLog.filter((line) => line.includes('preparing rebalance'))).toHaveLength(1);
      const [row] = await dataSource.query(`SELECT status, version FROM order_summary WHERE order_id = $1`, [
        orderId,
      ]);
      expect(row).toEqual({ status: 'placed', version: 4 });
    } finally {
      await consumer.stop();
    }
  },
);
