import { INVALID_TOPIC_EXCEPTION, NONE, UNKNOWN_TOPIC_OR_PARTITION } from '../protocol/error-codes';
import type { ApiHandler } from './types';

interface TopicMetadata {
  errorCode: number;
  name: string;
  partitionCount: number;
}

export const metadata: ApiHandler = (ctx, r) => {
  const version = ctx.apiVersion;
  const broker = ctx.broker;
  let requested: string[] | null;
  if (version === 0) {
    // v0 has no null array: an empty list means every topic.
    requested = r.array((x) => x.string());
    if (requested.length === 0) requested = null;
  } else {
    requested = r.nullableArray((x) => x.string());
  }
  // Before v4 there is no flag and Kafka auto-creates for every named topic (auto.create.topics.enable).
  const allowAutoCreate = version >= 4 ? r.boolean() : true;

  const topics: TopicMetadata[] = [];
  if (requested === null) {
    for (const t of broker.topics.list())
      topics.push({ errorCode: NONE, name: t.name, partitionCount: t.partitions.length });
  } else {
    for (const name of new Set(requested)) {
      const existing = broker.topics.get(name);
      if (existing) {
        topics.push({ errorCode: NONE, name, partitionCount: existing.partitions.length });
      } else if (!allowAutoCreate) {
        topics.push({ errorCode: UNKNOWN_TOPIC_OR_PARTITION, name, partitionCount: 0 });
      } else {
        const created = broker.createTopic(name, broker.config.defaultPartitions);
        if (created.errorCode === NONE && 'topic' in created) {
          ctx.log(`auto-created topic ${name} with ${created.topic.partitions.length} partitions`);
          topics.push({ errorCode: NONE, name, partitionCount: created.topic.partitions.length });
        } else {
          ctx.log(
            `refused to auto-create topic ${JSON.stringify(name)}: ${'message' in created ? created.message : ''}`,
          );
          topics.push({ errorCode: INVALID_TOPIC_EXCEPTION, name, partitionCount: 0 });
        }
      }
    }
  }

  const nodeId = broker.nodeId;
  return (w) => {
    if (version >= 3) w.int32(0);
    w.int32(1).int32(nodeId).string(broker.config.advertisedHost).int32(broker.port);
    if (version >= 1) w.nullableString(null);
    if (version >= 2) w.nullableString(broker.config.clusterId);
    if (version >= 1) w.int32(nodeId);
    w.array(topics, (out, t) => {
      out.int16(t.errorCode).string(t.name);
      if (version >= 1) out.boolean(false);
      out.int32(t.partitionCount);
      for (let p = 0; p < t.partitionCount; p++) {
        out.int16(NONE).int32(p).int32(nodeId).int32(1).int32(nodeId).int32(1).int32(nodeId);
      }
    });
  };
};
