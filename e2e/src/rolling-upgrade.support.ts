import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ApacheKafkaUnavailable, ensureApacheKafka } from '@tandem/apache-kafka';
import { CE_HEADERS } from '@tandem/contracts';
import { freePort, spawnService, type ServiceProcess } from '@tandem/dev-stack';
import { waitFor, type TestKafka } from '@tandem/platform/testing';
import { ROOT } from './support';

/** A service process of either release, listening and ready. */
export interface RunningService {
  name: string;
  url: string;
  process: ServiceProcess;
  stop(): Promise<void>;
}

/** Starts a service's built `main.js` on a free port and waits until `/health/ready` answers 200. */
export async function startService(options: {
  name: string;
  script: string;
  env: Record<string, string>;
  output: (line: string) => void;
}): Promise<RunningService> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnService({
    name: options.name,
    script: options.script,
    env: { ...options.env, PORT: String(port) },
    url,
    output: options.output,
    pretty: false,
  });
  let exited: number | null | undefined;
  void child.exited.then((code) => (exited = code));
  await waitFor(
    async () => {
      if (exited !== undefined) throw new Error(`${options.name} exited with code ${exited}`);
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2000) });
      return response.ok;
    },
    { what: `${options.name} ready`, timeoutMs: 120_000, intervalMs: 200 },
  );
  return { name: options.name, url, process: child, stop: () => child.stop() };
}

export interface TopicMessage {
  key: string;
  partition: number;
  offset: number;
  version: number;
  type: string;
  payload: Record<string, unknown>;
}

function kafkaClient(kafka: TestKafka): Kafka {
  return new Kafka({
    clientId: `rolling-${randomUUID()}`,
    brokers: [kafka.bootstrap],
    logLevel: logLevel.NOTHING,
  });
}

/** Every message on a contract topic up to its current end, in offset order per partition. */
export async function readTopic(kafka: TestKafka, topic: string, atLeast: number): Promise<TopicMessage[]> {
  const client = kafkaClient(kafka);
  const admin = client.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(kafka.topic(topic));
  await admin.disconnect();
  const messages: TopicMessage[] = [];
  const consumer = client.consumer({ groupId: kafka.group(`rolling-reader-${randomUUID()}`) });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: kafka.topic(topic), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const header = (name: string) => String(message.headers?.[name] ?? '');
        messages.push({
          key: String(message.key),
          partition,
          offset: Number(message.offset),
          version: Number(header(CE_HEADERS.streamVersion)),
          type: header(CE_HEADERS.type),
          payload: JSON.parse(String(message.value)) as Record<string, unknown>,
        });
      },
    });
    await waitFor(
      () =>
        messages.length >= atLeast &&
        ends.every(
          (end) =>
            Number(end.high) === 0 ||
            messages.some((m) => m.partition === end.partition && m.offset === Number(end.high) - 1),
        ),
      { what: `${topic} read to its end (${messages.length} so far)`, timeoutMs: 60_000 },
    );
  } finally {
    await consumer.disconnect();
  }
  return messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** True when a topic does not exist or has never held a record. */
export async function topicIsEmpty(kafka: TestKafka, topic: string): Promise<boolean> {
  const admin = kafkaClient(kafka).admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(kafka.topic(topic))) return true;
    return (await admin.fetchTopicOffsets(kafka.topic(topic))).every((p) => Number(p.high) === 0);
  } finally {
    await admin.disconnect();
  }
}

export interface JavaLine {
  key: string;
  version: number;
  ce_type: string;
}

export interface JavaConsumer {
  lines: JavaLine[];
  stderr(): string;
  stop(): void;
}

/**
 * examples/consumers/java/OrdersConsumer.java (kafka-clients, a JVM) on one topic, printing a JSON line per event;
 * null where Java or the Kafka jars are missing (outside CI, which requires them).
 */
export function startJavaConsumer(kafka: TestKafka, topic: string, group: string): JavaConsumer | null {
  let installation;
  try {
    installation = ensureApacheKafka();
  } catch (error) {
    if (!(error instanceof ApacheKafkaUnavailable) || process.env['CI']) throw error;
    console.warn(
      `Java or the Kafka jars are missing: the v1-only Java consumer is left out (${error.message})`,
    );
    return null;
  }
  const child = spawn(
    installation.java,
    [
      '-cp',
      path.join(installation.libDir, '*'),
      path.join(ROOT, 'examples/consumers/java/OrdersConsumer.java'),
      kafka.bootstrap,
      kafka.topic(topic),
      kafka.group(group),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: JavaLine[] = [];
  let pending = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) if (line.startsWith('{"key"')) lines.push(JSON.parse(line) as JavaLine);
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { lines, stderr: () => stderr, stop: () => void child.kill('SIGKILL') };
}
