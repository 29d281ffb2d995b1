export interface CommittedOffset {
  offset: bigint;
  metadata: string;
}

/** Committed offsets per group, topic and partition: the in-memory view that OffsetFetch reads. */
export class OffsetCache {
  private readonly byGroup = new Map<string, Map<string, Map<number, CommittedOffset>>>();

  set(groupId: string, topic: string, partition: number, committed: CommittedOffset): void {
    let topics = this.byGroup.get(groupId);
    if (!topics) {
      topics = new Map();
      this.byGroup.set(groupId, topics);
    }
    let partitions = topics.get(topic);
    if (!partitions) {
      partitions = new Map();
      topics.set(topic, partitions);
    }
    partitions.set(partition, committed);
  }

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.byGroup.get(groupId)?.get(topic)?.get(partition);
  }

  /** Every committed partition of the group, topics and partitions in ascending order. */
  all(groupId: string): Array<{ topic: string; partitions: Array<[number, CommittedOffset]> }> {
    const topics = this.byGroup.get(groupId);
    if (!topics) return [];
    return [...topics.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([topic, partitions]) => ({
        topic,
        partitions: [...partitions.entries()].sort(([a], [b]) => a - b),
      }));
  }
}
