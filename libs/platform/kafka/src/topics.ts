import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /**
   * Create it with as many partitions as this topic has, when it exists (else `numPartitions`): a topic that
   * replaces another then puts each key on the same partition number, so a consumer lock per partition covers the
   * same keys on both (the projections' partition locks, orders.order.v1 and orders.order.v2).
   */
  partitionsLike?: string;
}

/**
 * Creates missing topics. Event topics keep everything (no time or size retention) so that any read model can be
 * rebuilt from offset 0. Existing topics are left as they are: changing partition counts reorders keys.
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
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: (t.partitionsLike && partitionsOf.get(t.partitionsLike)) || t.numPartitions,
        configEntries: [
          { name: 'retention.ms', value: '-1' },
          { name: 'retention.bytes', value: '-1' },
          { name: 'cleanup.policy', value: 'delete' },
        ],
      })),
    });
  } finally {
    await admin.disconnect();
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
