import type { ApiHandler } from './types';

export const describeGroups: ApiHandler = (ctx, r) => {
  const version = ctx.apiVersion;
  const groups = ctx.broker.groups.describeGroups(r.array((x) => x.string()));
  return (w) => {
    if (version >= 1) w.int32(0);
    w.array(groups, (out, g) => {
      out
        .int16(g.errorCode)
        .string(g.groupId)
        .string(g.groupState)
        .string(g.protocolType)
        .string(g.protocolData);
      out.array(g.members, (o, m) => {
        o.string(m.memberId)
          .string(m.clientId)
          .string(m.clientHost)
          .bytes(m.memberMetadata)
          .bytes(m.memberAssignment);
      });
    });
  };
};
