import { NONE } from '../protocol/error-codes';
import type { ApiHandler } from './types';

export const listGroups: ApiHandler = (ctx) => {
  const version = ctx.apiVersion;
  const groups = ctx.broker.groups.listGroups();
  return (w) => {
    if (version >= 1) w.int32(0);
    w.int16(NONE);
    w.array(groups, (out, g) => out.string(g.groupId).string(g.protocolType));
  };
};
