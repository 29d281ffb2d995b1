import { type ChildProcess, fork } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { type DevBroker, startDevBroker } from '../src';
import { Cleanup } from './helpers/cleanup';
import { kafkaClient, waitForGroup } from './helpers/kafka';
import { LogCapture } from './helpers/log-capture';
import { REBALANCE_CONSUMER_CONFIG } from './helpers/rebalance-config';
import { waitUntil } from './helpers/wait';

jest.setTimeout(150_000);

const TOPIC = 'events';
const GROUP = 'event-readers';
const PARTITIONS = 6;
const PER_PHASE = 3000;

interface Delivery {
  consumer: string;
  partition: number;
  offset: number;
  value: number;
  at: number;
}

describe('rebalances', () => {
  let broker: DevBroker;
  const logs = new LogCapture();
  const cleanup = new Cleanup();
  const deliveries: Delivery[] = [];
  const unique = new Set<string>();

  function record(consumer: string, partition: number, offset: number, value: number): void {
    deliveries.push({ consumer, partition, offset, value, at: Date.now() });
    unique.add(`${partition}:${offset}`);
  }

  beforeAll(async () => {
    broker = await startDevBroker({ port: 0, logger: logs.logger });
  });

  afterAll(async () => {
    await cleanup.run();
    await broker.stop();
  });

  async function startConsumer(kafka: Kafka, name: string): Promise<Consumer> {
    const consumer = cleanup.add(kafka.consumer({ groupId: GROUP, ...REBALANCE_CONSUMER_CONFIG }), (c) =>
      c.disconnect(),
    );
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        record(name, partition, Number(message.offset), Number(message.value?.toString()));
        // Slow enough that a consumer is mid-batch, with processed but uncommitted messages, when it is killed.
        await new Promise((r) => setTimeout(r, 1));
      },
    });
    return consumer;
  }

  async function startChild(): Promise<ChildProcess> {
    const child = fork(join(__dirname, 'helpers', 'child-consumer.ts'), [], {
      cwd: resolve(__dirname, '../../..'),
      execArgv: ['-r', '@swc-node/register'],
      env: { ...process.env, BOOTSTRAP: broker.bootstrap, GROUP, TOPIC },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    cleanup.add(child, (c) => c.kill('SIGKILL'));
    await new Promise<void>((ready, fail) => {
      child.on('message', (msg: unknown) => {
        if (msg === 'running') ready();
        else {
          const m = msg as { partition: number; offset: number; value: number };
          record('child', m.partition, m.offset, m.value);
        }
      });
      child.once('exit', (code) => fail(new Error(`child consumer exited with ${code}`)));
    });
    return child;
  }

  async function produce(kafka: Kafka, from: number, to: number): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    for (let start = from; start < to; start += 300) {
      const messages = [];
      for (let i = start; i < Math.min(to, start + 300); i++)
        messages.push({ partition: i % PARTITIONS, value: String(i) });
      await producer.send({ topic: TOPIC, messages });
      await new Promise((r) => setTimeout(r, 50));
    }
    await producer.disconnect();
  }

  async function committed(admin: Admin): Promise<Map<number, number>> {
    const [topic] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    return new Map(topic?.partitions.map((p) => [p.partition, Number(p.offset)]));
  }

  it('rebalances when a member joins and when a killed member times out, losing nothing', async () => {
    const kafka = kafkaClient(broker.bootstrap);
    const admin = cleanup.add(kafka.admin(), (a) => a.disconnect());
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });

    await startConsumer(kafka, 'a');
    await startConsumer(kafka, 'b');
    const child = await startChild();
    await waitForGroup(admin, GROUP, 3);

    await produce(kafka, 0, PER_PHASE);
    await waitUntil('phase 1 consumed', () => unique.size >= PER_PHASE * 0.7, 60_000);

    // A 4th member joins mid-stream.
    const beforeJoin = await committed(admin);
    const joinedAt = Date.now();
    await startConsumer(kafka, 'd');
    await waitForGroup(admin, GROUP, 4);
    await logs.waitFor(/generation \d+ with 4 member/);

    await produce(kafka, PER_PHASE, 2 * PER_PHASE);
    await waitUntil('phase 2 consumed', () => unique.size >= PER_PHASE * 1.7, 60_000);

    // One member dies without leaving: no LeaveGroup, no more heartbeats.
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const atKill = await committed(admin);
    const killedAt = Date.now();

    await produce(kafka, 2 * PER_PHASE, 3 * PER_PHASE);
    await logs.waitFor(/missed its session timeout/, 30_000);
    await waitForGroup(admin, GROUP, 3);
    await waitUntil('every message consumed', () => unique.size >= 3 * PER_PHASE, 60_000);
    await new Promise((r) => setTimeout(r, 500));

    // Nothing lost: every offset of every partition was delivered.
    expect(unique.size).toBe(3 * PER_PHASE);
    const values = new Set(deliveries.map((d) => d.value));
    expect(values.size).toBe(3 * PER_PHASE);

    // Both rebalances happened, the second one after the session timeout removed the killed member.
    const sessionExpired = logs.lines.findIndex((l) => /missed its session timeout/.test(l));
    expect(logs.lines.findIndex((l) => /generation \d+ with 4 member/.test(l))).toBeGreaterThanOrEqual(0);
    expect(logs.lines.slice(sessionExpired).some((l) => /generation \d+ with 3 member/.test(l))).toBe(true);

    // Redelivery starts no earlier than the offsets committed before each rebalance. The child's messages are
    // left out: they cross a pipe and may arrive after it died.
    const inProcess = deliveries.filter((d) => d.consumer !== 'child');
    for (const d of inProcess) {
      if (d.at > joinedAt) expect(d.offset).toBeGreaterThanOrEqual(beforeJoin.get(d.partition) ?? 0);
      if (d.at > killedAt) expect(d.offset).toBeGreaterThanOrEqual(atKill.get(d.partition) ?? 0);
    }
    // Every member took part, the killed one and the late one included.
    for (const name of ['a', 'b', 'child', 'd'])
      expect(deliveries.some((d) => d.consumer === name)).toBe(true);
    if (process.env.KAFKA_DEV_BROKER_LOG) {
      console.log(`redelivered after rebalances: ${deliveries.length - unique.size} of ${deliveries.length}`);
    }
  });
});
