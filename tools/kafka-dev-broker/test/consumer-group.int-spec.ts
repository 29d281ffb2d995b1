import type { Consumer } from 'kafkajs';
import { type DevBroker, startDevBroker } from '../src';
import { Cleanup } from './helpers/cleanup';
import { kafkaClient, waitForGroup } from './helpers/kafka';
import { LogCapture } from './helpers/log-capture';
import { waitUntil } from './helpers/wait';

const TOPIC = 'orders';
const GROUP = 'order-readers';
const PARTITIONS = 6;
const MESSAGES = 20_000;

describe('consumer group with kafkajs', () => {
  let broker: DevBroker;
  const logs = new LogCapture();
  const cleanup = new Cleanup();

  beforeAll(async () => {
    broker = await startDevBroker({ port: 0, logger: logs.logger });
  });

  afterAll(async () => {
    await cleanup.run();
    await broker.stop();
  });

  it('delivers 20,000 messages over 6 partitions to a group of 3 consumers once each, in partition order', async () => {
    const kafka = kafkaClient(broker.bootstrap);
    const admin = cleanup.add(kafka.admin(), (a) => a.disconnect());
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });

    // Per partition, the values in the order they arrived; per consumer, which partitions it saw.
    const received = new Map<number, number[]>();
    const partitionsByConsumer: Array<Set<number>> = [];
    let total = 0;
    const consumers: Consumer[] = [];
    for (let c = 0; c < 3; c++) {
      const consumer = cleanup.add(kafka.consumer({ groupId: GROUP, maxWaitTimeInMs: 500 }), (x) =>
        x.disconnect(),
      );
      const seen = new Set<number>();
      partitionsByConsumer.push(seen);
      await consumer.connect();
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          seen.add(partition);
          const list = received.get(partition) ?? [];
          list.push(Number(message.value?.toString()));
          received.set(partition, list);
          total++;
        },
      });
      consumers.push(consumer);
    }
    // Produce only once the group has settled, so no rebalance can legitimately redeliver anything.
    await waitForGroup(admin, GROUP, 3);

    const producer = cleanup.add(kafka.producer(), (x) => x.disconnect());
    await producer.connect();
    for (let start = 0; start < MESSAGES; start += 1000) {
      const messages = [];
      for (let i = start; i < start + 1000; i++)
        messages.push({ partition: i % PARTITIONS, value: String(i) });
      await producer.send({ topic: TOPIC, messages });
    }
    await producer.disconnect();

    await waitUntil('all messages consumed', () => total >= MESSAGES, 90_000);
    // A little longer: a duplicate would arrive now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await Promise.all(consumers.map((c) => c.disconnect()));

    expect(total).toBe(MESSAGES);
    for (let p = 0; p < PARTITIONS; p++) {
      const values = received.get(p) ?? [];
      const expected = Array.from({ length: MESSAGES }, (_, i) => i).filter((i) => i % PARTITIONS === p);
      expect(values).toEqual(expected);
    }
    // Each consumer owned two of the six partitions.
    expect(partitionsByConsumer.map((s) => s.size).sort()).toEqual([2, 2, 2]);

    const offsets = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    const committed = offsets[0]?.partitions.map((p) => Number(p.offset)) ?? [];
    expect(committed).toEqual(Array.from({ length: PARTITIONS }, (_, p) => received.get(p)?.length));
  }, 120_000);
});
