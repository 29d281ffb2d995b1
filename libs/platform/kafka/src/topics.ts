import type { Kafka } from 'kafkajs';
import { EVENT_TOPICS, predecessorOf, TOPICS, type TopicDefinition } from '@tandem/contracts';
import { CONTRACT_TOPIC_NAMES, type TopicNames } from './topic-names';

/** One topic as the cluster gets it: name on the cluster, partitions, replication and its configuration entries. */
export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /**
   * Create it with as many partitions as this topic has, when it exists (else `numPartitions`): a topic that
   * replaces another then puts each key on the same partition number, so a consumer lock per partition covers the
   * same keys on both (the projections' partition locks, orders.order.v1 and orders.order.v2).
   */
  partitionsLike?: string;
  /** Capped at the cluster's broker count when creating (a one-node development cluster gets 1). */
  replicationFactor?: number;
  config?: Record<string, string>;
}

/** The dead-letter topic of an event topic (contract names): Tandem's projections park poison events there. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/** A topic's configuration entries, as Kafka (and a Strimzi `KafkaTopic`'s `spec.config`) names them. */
export function topicConfig(definition: TopicDefinition): Record<string, string> {
  return {
    'retention.ms': String(definition.retentionMs),
    'retention.bytes': String(definition.retentionBytes),
    'cleanup.policy': definition.cleanupPolicy,
    'min.insync.replicas': String(definition.minInsyncReplicas),
  };
}

/**
 * The event topics of the contract (`TOPICS` in libs/contracts) as specs for `ensureTopics`, with their dead-letter
 * topics when asked: same settings, so a dead letter keeps its partition and is kept as long. `partitions`
 * overrides the declared count (development and tests run with fewer).
 */
export function eventTopicSpecs(
  options: { names?: TopicNames; partitions?: number; deadLetters?: boolean } = {},
): TopicSpec[] {
  const names = options.names ?? CONTRACT_TOPIC_NAMES;
  return EVENT_TOPICS.flatMap((topic) => {
    const definition = TOPICS[topic];
    const predecessor = predecessorOf(topic);
    const spec = (name: string, like: string | undefined): TopicSpec => ({
      topic: names.onCluster(name),
      numPartitions: options.partitions ?? definition.partitions,
      ...(like ? { partitionsLike: names.onCluster(like) } : {}),
      replicationFactor: definition.replicationFactor,
      config: topicConfig(definition),
    });
    const main = spec(topic, predecessor);
    if (!options.deadLetters) return [main];
    return [main, spec(deadLetterTopic(topic), predecessor && deadLetterTopic(predecessor))];
  });
}

/**
 * Creates missing topics as declared. Replication is capped at the number of brokers (a development cluster has
 * one), and `min.insync.replicas` at the replication. Existing topics are left as they are: changing partition
 * counts reorders keys, and their configuration is the operator's (in Kubernetes, Strimzi's from the same source).
 */
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    const likes = missing.flatMap((t) =>
      t.partitionsLike && existing.has(t.partitionsLike) ? [t.partitionsLike] : [],
    );
    const { topics: described } =
      likes.length > 0 ? await admin.fetchTopicMetadata({ topics: likes }) : { topics: [] };
    const partitionsOf = new Map(described.map((t) => [t.name, t.partitions.length]));
    const { brokers } = await admin.describeCluster();
    await createAndAwait(
      admin,
      missing.map((t) => t.topic),
      {
        waitForLeaders: true,
        topics: missing.map((t) => {
          const replicationFactor = Math.max(1, Math.min(t.replicationFactor ?? 1, brokers.length));
          const config: Record<string, string> = {
            'retention.ms': '-1',
            'retention.bytes': '-1',
            'cleanup.policy': 'delete',
            ...t.config,
          };
          if (config['min.insync.replicas'] !== undefined) {
            config['min.insync.replicas'] = String(
              Math.min(Number(config['min.insync.replicas']), replicationFactor),
            );
          }
          return {
            topic: t.topic,
            numPartitions: (t.partitionsLike && partitionsOf.get(t.partitionsLike)) || t.numPartitions,
            replicationFactor,
            configEntries: Object.entries(config).map(([name, value]) => ({ name, value })),
          };
        }),
      },
    );
  } finally {
    await admin.disconnect();
  }
}

type Admin = ReturnType<Kafka['admin']>;

/**
 * `createTopics` with `waitForLeaders` retries only LEADER_NOT_AVAILABLE, but a just-created topic's metadata can
 * first answer UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition"), seen on a fresh Apache
 * Kafka in CI. The topics exist then: wait, a bounded while, until every partition of each has a leader.
 */
async function createAndAwait(
  admin: Admin,
  names: string[],
  request: Parameters<Admin['createTopics']>[0],
): Promise<void> {
  try {
    await admin.createTopics(request);
    return;
  } catch (error) {
    const type: unknown =
      typeof error === 'object' && error !== null ? Reflect.get(error, 'type') : undefined;
    if (type !== 'UNKNOWN_TOPIC_OR_PARTITION' && type !== 'LEADER_NOT_AVAILABLE') throw error;
  }
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      if (topics.length === names.length && topics.every((t) => t.partitions.every((p) => p.leader >= 0)))
        return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics ${names.join(', ')} have no leaders after 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A readiness check: the cluster answers a metadata request. */
export async function checkKafka(kafka: Kafka): Promise<void> {
  const admin = kafka.admin({ retry: { retries: 0 } });
  await admin.connect();
  try {
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}
