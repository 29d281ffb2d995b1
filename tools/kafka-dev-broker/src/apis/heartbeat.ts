import type { ApiHandler } from './types';

export const heartbeat: ApiHandler = (ctx, r) => {
  const version = ctx.apiVersion;
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const groupInstanceId = version >= 3 ? r.nullableString() : null;
  const res = ctx.broker.groups.heartbeat({ groupId, generationId, memberId, groupInstanceId });
  return (w) => {
    if (version >= 1) w.int32(0);
    w.int16(res.errorCode);
  };
};
