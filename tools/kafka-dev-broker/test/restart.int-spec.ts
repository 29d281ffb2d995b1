import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { type DevBroker, startDevBroker } from '../src';
import { Cleanup } from './helpers/cleanup';
import { kafkaClient } from './helpers/kafka';
import { LogCapture } from './helpers/log-capture';
import { RawClient } from './helpers/raw-client';
import { buildRecordBatch } from './helpers/record-batch';
import { batchesIn, createTopicV3, fetchV11, listOffsetsV2, produceV7 } from './helpers/requests';
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

describe('data dir storage', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kafka-dev-broker-segments-'));
  const logs = new LogCapture();

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('reads batches back from disk once they leave memory, and cuts a torn batch at the end on restart', async () => {
    // A memory bound far below the data: most fetches below are served from the segment file.
    let broker = await startDevBroker({ port: 0, dataDir, maxBytesPerPartition: 4096, logger: logs.logger });
    let client = await RawClient.connect(broker.port);
    try {
      await createTopicV3(client, 'disk', 1);
      for (let i = 0; i < 20; i++) {
        await produceV7(
          client,
          'disk',
          0,
          buildRecordBatch({ records: [{ value: `${i}:${'z'.repeat(1000)}` }] }),
        );
      }
      expect((await listOffsetsV2(client, 'disk', 0, -2)).offset).toBe(0);
      const [all] = await fetchV11(client, 'disk', [{ partition: 0, offset: 0 }]);
      expect(batchesIn(all?.records ?? Buffer.alloc(0)).map((b) => b.baseOffset)).toEqual(
        Array.from({ length: 20 }, (_, i) => i),
      );
    } finally {
      await client.close();
      await broker.stop();
    }

    // What a process killed in the middle of a write leaves behind.
    const segment = join(dataDir, 'topics', 'disk', '0.log');
    const whole = statSync(segment).size;
    appendFileSync(segment, buildRecordBatch({ records: [{ value: 'torn' }] }).subarray(0, 40));

    broker = await startDevBroker({ port: 0, dataDir, logger: logs.logger });
    client = await RawClient.connect(broker.port);
    try {
      await logs.waitFor(/topic disk partition 0: cut 40 bytes of an incomplete batch/);
      expect(statSync(segment).size).toBe(whole);
      expect((await listOffsetsV2(client, 'disk', 0, -1)).offset).toBe(20);
      expect(
        (await produceV7(client, 'disk', 0, buildRecordBatch({ records: [{ value: 'after' }] }))).baseOffset,
      ).toBe(20);
      const [tail] = await fetchV11(client, 'disk', [{ partition: 0, offset: 18 }]);
      expect(batchesIn(tail?.records ?? Buffer.alloc(0)).map((b) => b.baseOffset)).toEqual([18, 19, 20]);
    } finally {
      await client.close();
      await broker.stop();
    }
  });
});
