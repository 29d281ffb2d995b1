import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { fromKafkaHeaders, parseEvent, EVENT_TOPICS, predecessorOf } from '@tandem/contracts';
import { createKafka, ensureTopics, topicNames } from '@tandem/platform/kafka';
import { createLogger } from '@tandem/platform/observability';
import { startTestKafka, waitFor, type TestKafka } from '@tandem/platform/testing';
import type { OrderCustomer } from '@tandem/write/domain';
import { ORDER_LIVES, orderLife } from '../test/order-commands';
import { createWriteTestDatabase, type WriteTestDatabase } from '../test/write-test-database';
import { PostgresCommandTransactions } from '../transactions/postgres-command-transactions';
import { KafkaOutboxPublisher } from './kafka-outbox-publisher';
import { OutboxRelay } from './outbox-relay';

/**
 * During the deprecation window every order event goes out twice, from one outbox row: on orders.order.v1 as v1 and
 * on orders.order.v2 at its latest version, each topic in per-order version order, with the same ce_id and the
 * CloudEvents headers of its version. Read back from a real broker (Apache Kafka in CI).
 */
jest.setTimeout(120_000);

interface Received {
  topic: string;
  partition: number;
  offset: number;
  key: string;
  headers: Record<string, string>;
  payload: Record<string, unknown>;
}

let db: WriteTestDatabase;
let broker: TestKafka;
let relay: OutboxRelay;
let publisher: KafkaOutboxPublisher;
let consumer: Consumer;
const received: Received[] = [];
const V1 = 'orders.order.v1';
const V2 = 'orders.order.v2';

beforeAll(async () => {
  db = await createWriteTestDatabase('dual_publishing');
  broker = await startTestKafka('dual_publishing');
  const logger = createLogger('dual-publishing-test', 'silent');
  const kafka = createKafka({ clientId: 'dual-publishing', brokers: [broker.bootstrap], logger });
  const names = topicNames(broker.prefix);
  await ensureTopics(kafka, [
    { topic: names.onCluster(V1), numPartitions: 3 },
    { topic: names.onCluster('orders.customer.v1'), numPartitions: 3 },
  ]);
  // Created after v1 with a default that differs: it takes v1's partition count (partitionsLike).
  await ensureTopics(
    kafka,
    EVENT_TOPICS.flatMap((topic) => {
      const predecessor = predecessorOf(topic);
      return predecessor
        ? [{ topic: names.onCluster(topic), numPartitions: 5, partitionsLike: names.onCluster(predecessor) }]
        : [];
    }),
  );
  publisher = new KafkaOutboxPublisher(kafka, names);
  relay = new OutboxRelay({ databaseUrl: db.url, publisher, logger, pollIntervalMs: 50 });
  relay.start();
  consumer = new Kafka({
    clientId: 'dual-reader',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
  }).consumer({ groupId: broker.group(`dual-reader-${randomUUID()}`) });
  await consumer.connect();
  await consumer.subscribe({ topics: [names.onCluster(V1), names.onCluster(V2)], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      received.push({
        topic: names.inContract(topic),
        partition,
        offset: Number(message.offset),
        key: String(message.key),
        headers: Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
        ),
        payload: JSON.parse(String(message.value)) as Record<string, unknown>,
      });
    },
  });
});

afterAll(async () => {
  await consumer?.disconnect();
  await relay?.stop();
  await publisher?.close();
  await broker?.stop();
  await db?.close();
});

it('publishes every order event on both topics, in version order per order, v1 on v1 and the latest on v2', async () => {
  const transactions = new PostgresCommandTransactions(db.dataSource);
  const customer: OrderCustomer = { customerId: randomUUID(), currency: 'EUR' };
  // Orders advanced in turns, so that their events interleave in the outbox and on the partitions.
  const lives = [...ORDER_LIVES, ...ORDER_LIVES];
  const orders = await Promise.all(lives.map((steps) => orderLife(transactions, customer, steps)));
  const expected = lives.reduce((sum, steps) => sum + steps.length, 0);
  await waitFor(() => received.length >= 2 * expected, {
    what: `${2 * expected} messages on the two topics (have ${received.length})`,
    timeoutMs: 60_000,
  });

  for (const [i, orderId] of orders.entries()) {
    const onTopic = (topic: string) =>
      received.filter((m) => m.key === orderId && m.topic === topic).sort((a, b) => a.offset - b.offset);
    const v1 = onTopic(V1);
    const v2 = onTopic(V2);
    const versions = lives[i]?.map((_, n) => String(n + 1));
    expect(v1.map((m) => m.headers['ce_streamversion'])).toEqual(versions);
    expect(v2.map((m) => m.headers['ce_streamversion'])).toEqual(versions);
    // One partition per key, the same number on both topics (v2 has v1's partition count).
    expect(new Set([...v1, ...v2].map((m) => m.partition)).size).toBe(1);
    expect(v1.map((m) => m.headers['ce_id'])).toEqual(v2.map((m) => m.headers['ce_id']));
    for (const message of v1) {
      expect(message.headers['ce_type']).toMatch(/^tandem\.orders\.\w+\.v1$/);
      expect(parseEvent(message.headers['ce_type'] ?? '', message.payload).ok).toBe(true);
    }
    for (const message of v2) {
      const type = message.headers['ce_type'] ?? '';
      expect(type).toMatch(type.includes('OrderLineAdded') ? /\.v2$/ : /\.v1$/);
      expect(parseEvent(type, message.payload).ok).toBe(true);
      expect(fromKafkaHeaders(message.headers)).toMatchObject({
        subject: orderId,
        source: '/tandem/command-service',
      });
    }
    const lineV1 = v1.find((m) => m.headers['ce_type'] === 'tandem.orders.OrderLineAdded.v1');
    const lineV2 = v2.find((m) => m.headers['ce_type'] === 'tandem.orders.OrderLineAdded.v2');
    expect(lineV2?.payload).toEqual({
      ...lineV1?.payload,
      unitPrice: { amount: lineV1?.payload['unitPrice'], currency: 'EUR' },
    });
  }
  const admin = createKafka({
    clientId: 'dual-admin',
    brokers: [broker.bootstrap],
    logger: createLogger('t', 'silent'),
  }).admin();
  await admin.connect();
  const partitions = await admin.fetchTopicMetadata({ topics: [broker.topic(V2)] });
  await admin.disconnect();
  expect(partitions.topics[0]?.partitions).toHaveLength(3);
});
