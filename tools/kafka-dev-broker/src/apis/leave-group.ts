import type { ApiHandler } from './types';

export const leaveGroup: ApiHandler = (ctx, r) => {
  const version = ctx.apiVersion;
  const groupId = r.string();
  const memberId = r.string();
  const res = ctx.broker.groups.leaveGroup({ groupId, memberId });
  return (w) => {
    if (version >= 1) w.int32(0);
    w.int16(res.errorCode);
  };
};
