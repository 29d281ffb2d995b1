import { NONE, UNKNOWN_TOPIC_OR_PARTITION } from '../protocol/error-codes';
import type { ApiHandler } from './types';

export const deleteTopics: ApiHandler = (ctx, r) => {
  const version = ctx.apiVersion;
  const names = r.array((x) => x.string());
  r.int32(); // timeout: deletion is immediate
  const results = names.map((name) => {
    if (ctx.broker.topics.delete(name)) {
      ctx.log(`deleted topic ${name}`);
      return { name, errorCode: NONE };
    }
    ctx.log(`refused to delete unknown topic ${JSON.stringify(name)}`);
    return { name, errorCode: UNKNOWN_TOPIC_OR_PARTITION };
  });
  return (w) => {
    if (version >= 1) w.int32(0);
    w.array(results, (out, res) => out.string(res.name).int16(res.errorCode));
  };
};
