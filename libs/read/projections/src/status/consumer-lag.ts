import type { Admin } from 'kafkajs';

/** How far a consumer group is behind on one partition. */
export interface PartitionBehind {
  topic: string;
  partition: number;
  /** Messages between the group's committed offset (the log start before its first commit) and the log end. */
  messages: number;
}

/** How far a consumer group is behind on each partition of the topics (cluster names). */
export async function consumerLag(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<PartitionBehind[]> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  const behind: PartitionBehind[] = [];
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const ofTopic = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const end of ends) {
      const at = ofTopic.find((p) => p.partition === end.partition)?.offset ?? '-1';
      const position = at === '-1' ? BigInt(end.low) : BigInt(at);
      const messages = Number(BigInt(end.high) - position);
      behind.push({ topic, partition: end.partition, messages: Math.max(0, messages) });
    }
  }
  return behind;
}
