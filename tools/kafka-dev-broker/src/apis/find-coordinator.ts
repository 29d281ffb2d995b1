import { NONE } from '../protocol/error-codes';
import type { ApiHandler } from './types';

/** This broker coordinates every group (and would every transaction). */
export const findCoordinator: ApiHandler = (ctx, r) => {
  const version = ctx.apiVersion;
  r.string(); // key
  if (version >= 1) r.int8(); // key type
  const broker = ctx.broker;
  return (w) => {
    if (version >= 1) w.int32(0);
    w.int16(NONE);
    if (version >= 1) w.nullableString(null);
    w.int32(broker.nodeId).string(broker.config.advertisedHost).int32(broker.port);
  };
};
