import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { TestIssuer } from '@tandem/platform/auth/testing';
import { createLogger } from '@tandem/platform/observability';
import {
  createTestDatabase,
  isRealPostgres,
  startTestKafka,
  waitFor,
  type TestDatabase,
  type TestKafka,
} from '@tandem/platform/testing';
import { orderStory, storyMessages } from '@tandem/read/projections';
import { parseProjectionServiceConfig } from './config';
import { createProjectionService, type ProjectionService } from './projection-service';

// Two services querying one real server at once (PGlite multiplexes one session: see projection-service.int-spec).
const describeOnServer = isRealPostgres() ? describe : describe.skip;

/**
 * Issue 13: a rebuild with two projection-service replicas on one read DB and one consumer group, while events keep
 * coming. Each replica has its own consumers; either may be asked. Only one rebuild runs at a time whichever replica
 * is asked, and while its copy catches up for the swap no replica's live consumer commits anything (they all obey
 * the rebuild's gate in the read DB), so no event is applied to the old tables after the copy last read the log:
 * every order ends at its last version, nothing lost to the swap.
 */
describeOnServer('a rebuild with two replicas under load (real Postgres only)', () => {
  jest.setTimeout(180_000);

  let kafka: TestKafka;
  let database: TestDatabase;
  let sql: Client;
  let producer: Producer;
  const replicas: ProjectionService[] = [];
  /** Per order, the version its last produced event has. */
  const expected = new Map<string, number>();

  beforeAll(async () => {
    kafka = await startTestKafka('rebuild_replicas', { initialRebalanceDelayMs: 0 });
    database = await createTestDatabase('rebuild_replicas');
    const logger = createLogger('projection-service', process.env['TEST_LOG_LEVEL'] ?? 'silent');
    for (let i = 0; i < 2; i++) {
      const service = await createProjectionService(
        parseProjectionServiceConfig({
          READ_DATABASE_URL: database.url,
          ...kafka.serviceEnv,
          TOPIC_PARTITIONS: '4',
          PROJECTIONS: 'order-summary',
          ...(await TestIssuer.shared()).env,
        }),
        logger.child({ replica: i }),
      );
      await service.app.listen(0, '127.0.0.1');
      await service.start();
      replicas.push(service);
    }
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    producer = new Kafka({ brokers: [kafka.bootstrap], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await sql?.end();
    for (const replica of replicas) await replica.app.close();
    await kafka?.stop();
    await database?.drop();
  }, 120_000);

  /**
   * One new order's three events (created, two lines), keyed by the order as the relay keys them, on the topic the
   * projections read (orders.order.v2).
   */
  async function produceOrder(): Promise<void> {
    const orderId = randomUUID();
    const messages = storyMessages(orderStory(orderId, randomUUID(), ['line', 'line']), new Date());
    const topic = messages[0]?.topic;
    if (!topic) throw new Error('a story without messages');
    await producer.send({
      topic: kafka.topic(topic),
      messages: messages.map((m) => ({
        key: m.key,
        value: m.value,
        headers: m.headers as Record<string, string>,
      })),
    });
    expected.set(orderId, messages.length);
  }

  async function behind(): Promise<string[]> {
    const { rows } = await sql.query<{ order_id: string; version: number }>(
      `SELECT order_id, version FROM order_summary`,
    );
    const found = new Map(rows.map((row) => [row.order_id, row.version]));
    return [...expected].filter(([id, version]) => found.get(id) !== version).map(([id]) => id);
  }

  const lastRebuild = async (replica: ProjectionService) =>
    (await replica.runner.status()).find((p) => p.name === 'order-summary')?.lastRebuild ?? null;

  /** Runs `work` while new orders keep being produced, one every 10 ms or so. */
  async function underLoad(work: () => Promise<void>): Promise<void> {
    let flowing = true;
    const flow = (async () => {
      while (flowing) {
        await produceOrder();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await work();
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      flowing = false;
      await flow;
    }
  }

  const settledBehind = async () => {
    await waitFor(async () => (await behind()).length === 0, { timeoutMs: 30_000 }).catch(() => undefined);
    return { orders: expected.size, behind: (await behind()).length };
  };

  it('swaps in a complete copy while both replicas consume: no event lost to the swap', async () => {
    const [a] = replicas;
    if (!a) throw new Error('two replicas expected');
    for (let i = 0; i < 30; i++) await produceOrder();
    await waitFor(async () => (await behind()).length === 0, { timeoutMs: 30_000, what: 'warm' });
    await underLoad(async () => {
      const rebuild = await a.runner.startRebuild('order-summary');
      expect(rebuild.started).toBe(true);
      await rebuild.done;
      expect((await lastRebuild(a))?.outcome).toBe('swapped');
    });
    expect(await settledBehind()).toEqual({ orders: expected.size, behind: 0 });
  });

  it('runs one rebuild at a time whichever replica is asked, and every replica reports it', async () => {
    const [a, b] = replicas;
    if (!a || !b) throw new Error('two replicas expected');
    await underLoad(async () => {
      const first = await b.runner.startRebuild('order-summary');
      expect(first.started).toBe(true);
      const second = await a.runner.startRebuild('order-summary');
      expect(second.started).toBe(false);
      await first.done;
      expect((await lastRebuild(b))?.outcome).toBe('swapped');
      expect((await lastRebuild(a))?.startedAt).toBe((await lastRebuild(b))?.startedAt);
    });
    expect(await settledBehind()).toEqual({ orders: expected.size, behind: 0 });
  });
});
