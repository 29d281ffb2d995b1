import { randomBytes } from 'node:crypto';
import { startDevBroker, type DevBrokerOptions } from '@tandem/kafka-dev-broker';

export interface TestKafka {
  /** "host:port[,host:port]", for KAFKA_BROKERS or a client's brokers list. */
  readonly bootstrap: string;
  /**
   * Put before every topic and group of this test file on a shared cluster (KAFKA_TOPIC_PREFIX and the group
   * prefixes), so that test files never see each other's records; empty on a dev broker of the file's own.
   */
  readonly prefix: string;
  /** The cluster's name of a contract topic. */
  topic(name: string): string;
  /** A consumer group id unique to this file. */
  group(name: string): string;
  /** KAFKA_BROKERS, KAFKA_TOPIC_PREFIX and KAFKA_GROUP_PREFIX for a service under test. */
  readonly serviceEnv: Record<'KAFKA_BROKERS' | 'KAFKA_TOPIC_PREFIX' | 'KAFKA_GROUP_PREFIX', string>;
  /** Stops the dev broker; leaves a shared cluster running. */
  stop(): Promise<void>;
}

/**
 * The Kafka of one test file: the cluster named by `TEST_KAFKA_BROKERS` (CI sets it to the Apache Kafka it started),
 * with topics and groups under a prefix unique to this call; or, when that variable is unset, a dev broker started
 * in this process for this file alone (`devOptions` tune it).
 */
export async function startTestKafka(label: string, devOptions: DevBrokerOptions = {}): Promise<TestKafka> {
  const external = process.env['TEST_KAFKA_BROKERS'];
  if (external) {
    const prefix = `test.${label.replace(/[^A-Za-z0-9_-]/g, '_')}.${randomBytes(4).toString('hex')}.`;
    return testKafka(external, prefix, async () => undefined);
  }
  const broker = await startDevBroker({ port: 0, logger: () => undefined, ...devOptions });
  return testKafka(broker.bootstrap, '', () => broker.stop());
}

function testKafka(bootstrap: string, prefix: string, stop: () => Promise<void>): TestKafka {
  const groupPrefix = `${prefix}tandem.projection`;
  return {
    bootstrap,
    prefix,
    topic: (name) => `${prefix}${name}`,
    group: (name) => `${prefix}${name}`,
    serviceEnv: { KAFKA_BROKERS: bootstrap, KAFKA_TOPIC_PREFIX: prefix, KAFKA_GROUP_PREFIX: groupPrefix },
    stop,
  };
}
