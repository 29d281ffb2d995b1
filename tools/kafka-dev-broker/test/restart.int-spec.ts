import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { type DevBroker, startDevBroker } from '../src';
import { Cleanup } from './helpers/cleanup';
import { kafkaClient } from './helpers/kafka';
import { LogCapture } from './helpers/log-capture';
import { waitUntil } from './helpers/wait';

jest.setTimeout(120_000);

const TOPIC = 'ledger';
const GROUP = 'ledger-readers';

async function produce(kafka: Kafka, from: number, to: number): Promise<void> {
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  try {
    const messages = [];
    for (let i = from; i < to; i++) messages.push({ key: `k${i % 7}`, value: String(i) });
    await producer.send({ topic: TOPIC, messages });
  } finally {
    await producer.disconnect();
  }
}

/** Runs a group consumer until it has seen `expected` messages, then leaves; returns the values seen. */
async function consume(kafka: Kafka, groupId: string, expected: number): Promise<number[]> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
  const seen: number[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(Number(message.value?.toString()));
      },
    });
    await waitUntil(`${expected} messages for ${groupId}`, () => seen.length >= expected, 60_000);
    // Room for an unexpected extra message to show up.
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('restart with a data dir', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kafka-dev-broker-'));
  const cleanup = new Cleanup();
  const logs = new LogCapture();
  let broker: DevBroker | undefined;

  afterAll(async () => {
    await cleanup.run();
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps topics, records and committed offsets: the group resumes where it committed', async () => {
    broker = await startDevBroker({ port: 0, dataDir, logger: logs.logger });
    let kafka = kafkaClient(broker.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }] });
    await admin.disconnect();

    await produce(kafka, 0, 1000);
    const firstRun = await consume(kafka, GROUP, 1000);
    expect(firstRun.sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // Produced after the group's last commit: only these are for the group after the restart.
    await produce(kafka, 1000, 1500);
    await broker.stop();

    broker = await startDevBroker({ port: 0, dataDir, logger: logs.logger });
    kafka = kafkaClient(broker.bootstrap);
    const admin2 = cleanup.add(kafka.admin(), (a) => a.disconnect());
    await admin2.connect();
    expect(await admin2.listTopics()).toContain(TOPIC);
    const committed = await admin2.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    expect(committed[0]?.partitions.reduce((sum, p) => sum + Number(p.offset), 0)).toBe(1000);

    const resumed = await consume(kafka, GROUP, 500);
    expect(resumed.sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => 1000 + i));

    // Every record is still there for a new group, and producing continues after the stored offsets.
    await produce(kafka, 1500, 1600);
    const everything = await consume(kafka, 'auditors', 1600);
    expect(everything.sort((a, b) => a - b)).toEqual(Array.from({ length: 1600 }, (_, i) => i));
    const ends = await admin2.fetchTopicOffsets(TOPIC);
    expect(ends.reduce((sum, p) => sum + Number(p.high), 0)).toBe(1600);
  });
});
