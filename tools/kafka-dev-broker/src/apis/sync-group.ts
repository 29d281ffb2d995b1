import type { ApiHandler } from './types';

export const syncGroup: ApiHandler = async (ctx, r) => {
  const version = ctx.apiVersion;
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const groupInstanceId = version >= 3 ? r.nullableString() : null;
  const assignments = r.array((x) => ({ memberId: x.string(), assignment: x.bytes() }));
  const res = await ctx.broker.groups.syncGroup({
    groupId,
    generationId,
    memberId,
    groupInstanceId,
    assignments,
  });
  return (w) => {
    if (version >= 1) w.int32(0);
    w.int16(res.errorCode).bytes(res.assignment);
  };
};
