import type { ApiHandler } from './types';

export const joinGroup: ApiHandler = async (ctx, r) => {
  const version = ctx.apiVersion;
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  // v0 has no rebalance timeout: Kafka uses the session timeout for both.
  const rebalanceTimeoutMs = version >= 1 ? r.int32() : sessionTimeoutMs;
  const memberId = r.string();
  const groupInstanceId = version >= 5 ? r.nullableString() : null;
  const protocolType = r.string();
  const protocols = r.array((x) => ({ name: x.string(), metadata: x.bytes() }));
  const res = await ctx.broker.groups.joinGroup({
    apiVersion: version,
    groupId,
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    memberId,
    groupInstanceId,
    protocolType,
    protocols,
    clientId: ctx.clientId,
    clientHost: ctx.clientHost,
  });
  return (w) => {
    if (version >= 2) w.int32(0);
    w.int16(res.errorCode)
      .int32(res.generationId)
      .string(res.protocolName ?? '')
      .string(res.leader)
      .string(res.memberId);
    w.array(res.members, (out, m) => {
      out.string(m.memberId);
      if (version >= 5) out.nullableString(m.groupInstanceId);
      out.bytes(m.metadata);
    });
  };
};
