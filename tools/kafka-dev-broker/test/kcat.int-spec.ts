import { type DevBroker, startDevBroker } from '../src';
import { Cleanup } from './helpers/cleanup';
import { kafkaClient } from './helpers/kafka';
import { hasKcat, itKcat, kcat } from './helpers/kcat';
import { LogCapture } from './helpers/log-capture';

jest.setTimeout(120_000);

const MESSAGES = 1000;

describe('librdkafka through kcat', () => {
  let broker: DevBroker;
  const logs = new LogCapture();
  const cleanup = new Cleanup();
  const values = Array.from({ length: MESSAGES }, (_, i) => `message-${i}`);

  beforeAll(async () => {
    broker = await startDevBroker({ port: 0, defaultPartitions: 3, logger: logs.logger });
  });

  afterAll(async () => {
    await cleanup.run();
    await broker.stop();
  });

  itKcat('is installed (CI requires it)', () => {
    expect(hasKcat).toBe(true);
  });

  itKcat('produces 1,000 messages with kcat -P and reads them back with kcat -C -e', async () => {
    // Keyed, so the messages spread over all partitions (librdkafka's sticky partitioner would put unkeyed
    // messages sent together into one).
    const input = values.map((v, i) => `key-${i}:${v}`).join('\n') + '\n';
    await kcat(
      ['-b', broker.bootstrap, '-P', '-t', 'kcat-topic', '-K', ':', '-X', 'enable.idempotence=true'],
      input,
    );
    const out = await kcat(['-b', broker.bootstrap, '-C', '-t', 'kcat-topic', '-o', 'beginning', '-e', '-q']);
    const lines = out.split('\n').filter(Boolean);
    expect(lines).toHaveLength(MESSAGES);
    expect([...lines].sort()).toEqual([...values].sort());
  });

  itKcat('lists brokers and topics with kcat -L', async () => {
    const out = await kcat(['-b', broker.bootstrap, '-L']);
    expect(out).toContain(`broker 1 at 127.0.0.1:${broker.port}`);
    expect(out).toMatch(/topic "kcat-topic" with 3 partitions/);
  });

  itKcat('delivers them to a kcat -G group whose committed offsets kafkajs admin can read', async () => {
    const out = await kcat([
      '-b',
      broker.bootstrap,
      '-G',
      'kcat-group',
      '-X',
      'auto.offset.reset=earliest',
      '-X',
      'auto.commit.interval.ms=100',
      '-e',
      '-q',
      'kcat-topic',
    ]);
    const lines = out.split('\n').filter(Boolean);
    expect([...lines].sort()).toEqual([...values].sort());

    const admin = cleanup.add(kafkaClient(broker.bootstrap).admin(), (a) => a.disconnect());
    await admin.connect();
    const [topic] = await admin.fetchOffsets({ groupId: 'kcat-group', topics: ['kcat-topic'] });
    const ends = await admin.fetchTopicOffsets('kcat-topic');
    const committed = new Map(topic?.partitions.map((p) => [p.partition, p.offset]));
    for (const end of ends) {
      expect(Number(end.high)).toBeGreaterThan(0);
      expect(committed.get(end.partition)).toBe(end.high);
    }
    expect(ends.reduce((sum, p) => sum + Number(p.high), 0)).toBe(MESSAGES);
  });
});
