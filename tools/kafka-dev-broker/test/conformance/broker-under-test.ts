// The two brokers the conformance scenarios run on, behind one interface: each scenario is written once and
// asserts the same observable outcome on both.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { startApacheKafka } from '@tandem/apache-kafka';
import { startDevBroker } from '../../src';
import { Cleanup } from '../helpers/cleanup';
import { kafkaClient } from '../helpers/kafka';
import { LogCapture } from '../helpers/log-capture';
import { RawClient } from '../helpers/raw-client';

export type BrokerKind = 'dev' | 'apache';

export interface BrokerUnderTest {
  readonly kind: BrokerKind;
  /** "host:port", for kafkajs and kcat. */
  readonly bootstrap: string;
  readonly host: string;
  readonly port: number;
  /** A topic or group name that no other scenario, run or test file on a shared cluster uses. */
  name(base: string): string;
  /** A kafkajs client; its producers, consumers and admins are closed after the scenario's describe block. */
  kafka(clientId?: string): Kafka;
  /** A raw protocol client, closed after the describe block. */
  raw(): Promise<RawClient>;
  /** Closes `value` after the describe block. */
  closeLater<T>(value: T, close: (value: T) => unknown): T;
  /** The dev broker's log lines; null on Apache Kafka. */
  readonly devLogs: LogCapture | null;
}

/** Apache Kafka's defaults that scenarios depend on (num.partitions=1 as tools/apache-kafka configures it). */
export const DEFAULT_PARTITIONS = 1;

function javaRuns(): boolean {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  return spawnSync(java, ['-version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Whether the Apache Kafka half can run: a cluster at TEST_KAFKA_BROKERS, or Java to start one. Without either it
 * is skipped with a warning, except in CI, where it runs and fails: CI must prove both brokers.
 */
export function apacheKafkaAvailable(): boolean {
  if (process.env.TEST_KAFKA_BROKERS || javaRuns()) return true;
  if (process.env.CI) return true;
  console.warn(
    'Java is not installed and TEST_KAFKA_BROKERS is not set: the conformance scenarios run on the dev broker ' +
      'only, not on Apache Kafka (install Java 17+ or point TEST_KAFKA_BROKERS at a cluster).',
  );
  return false;
}

/**
 * Registers beforeAll/afterAll hooks that start (or join) the broker of `kind` and returns an accessor for the
 * scenarios. Apache Kafka is the cluster at TEST_KAFKA_BROKERS when set, else one started for this file.
 */
export function useBroker(kind: BrokerKind): () => BrokerUnderTest {
  let current: BrokerUnderTest | null = null;
  const cleanup = new Cleanup();
  const run = randomBytes(3).toString('hex');

  beforeAll(async () => {
    let bootstrap: string;
    let devLogs: LogCapture | null = null;
    if (kind === 'dev') {
      devLogs = new LogCapture();
      const broker = await startDevBroker({
        port: 0,
        defaultPartitions: DEFAULT_PARTITIONS,
        initialRebalanceDelayMs: 0,
        logger: devLogs.logger,
      });
      cleanup.add(broker, (b) => b.stop());
      bootstrap = broker.bootstrap;
    } else if (process.env.TEST_KAFKA_BROKERS) {
      bootstrap = process.env.TEST_KAFKA_BROKERS.split(',')[0] ?? '';
    } else {
      const started = await startApacheKafka();
      cleanup.add(started, (k) => k.stop());
      bootstrap = started.bootstrap;
    }
    const separator = bootstrap.lastIndexOf(':');
    const host = bootstrap.slice(0, separator);
    const port = Number(bootstrap.slice(separator + 1));
    current = {
      kind,
      bootstrap,
      host,
      port,
      devLogs,
      name: (base) => `conformance.${run}.${base}`,
      kafka: (clientId = 'conformance') => kafkaClient(bootstrap, clientId),
      raw: async () => cleanup.add(await RawClient.connect(port, host), (c) => c.close()),
      closeLater: (value, close) => cleanup.add(value, close),
    };
  }, 120_000);

  afterAll(() => cleanup.run(), 60_000);

  return () => {
    if (!current) throw new Error(`the ${kind} broker did not start (see beforeAll)`);
    return current;
  };
}
