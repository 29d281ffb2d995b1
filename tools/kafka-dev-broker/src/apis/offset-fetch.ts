import type { ApiHandler } from './types';

export const offsetFetch: ApiHandler = (ctx, r) => {
  const version = ctx.apiVersion;
  const groupId = r.string();
  const readTopic = (x: typeof r) => ({ name: x.string(), partitionIndexes: x.array((y) => y.int32()) });
  // Only from v2 may the list be null, meaning every partition the group has committed.
  const topics = version >= 2 ? r.nullableArray(readTopic) : r.array(readTopic);
  const res = ctx.broker.groups.fetchOffsets({ groupId, topics });
  return (w) => {
    if (version >= 3) w.int32(0);
    w.array(res.topics, (out, t) => {
      out.string(t.name);
      out.array(t.partitions, (o, p) => {
        // Before v2 there is no top-level error code, so a group-wide error is reported on every partition.
        const errorCode = version < 2 && p.errorCode === 0 ? res.errorCode : p.errorCode;
        o.int32(p.partitionIndex).int64(p.committedOffset).nullableString(p.metadata).int16(errorCode);
      });
    });
    if (version >= 2) w.int16(res.errorCode);
  };
};
