import type { ApiHandler } from './types';

export const offsetCommit: ApiHandler = (ctx, r) => {
  const version = ctx.apiVersion;
  const groupId = r.string();
  // v0 commits carry no membership: Kafka treats them as from outside any generation.
  const generationId = version >= 1 ? r.int32() : -1;
  const memberId = version >= 1 ? r.string() : '';
  if (version >= 2 && version <= 4) r.int64(); // retention time: offsets are kept until the group is gone
  const topics = r.array((x) => ({
    name: x.string(),
    partitions: x.array((y) => {
      const partitionIndex = y.int32();
      const committedOffset = y.int64();
      if (version === 1) y.int64(); // commit timestamp
      return { partitionIndex, committedOffset, committedMetadata: y.nullableString() };
    }),
  }));
  const res = ctx.broker.groups.commitOffsets({ groupId, generationId, memberId, topics });
  return (w) => {
    if (version >= 3) w.int32(0);
    w.array(res.topics, (out, t) => {
      out.string(t.name);
      out.array(t.partitions, (o, p) => o.int32(p.partitionIndex).int16(p.errorCode));
    });
  };
};
