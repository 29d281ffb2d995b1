import { NONE, UNKNOWN_TOPIC_OR_PARTITION, UNSUPPORTED_VERSION } from '../protocol/error-codes';
import type { ApiHandler } from './types';

const LATEST = -1;
const EARLIEST = -2;

interface PartitionAnswer {
  index: number;
  errorCode: number;
  timestamp: number;
  offset: number;
}

export const listOffsets: ApiHandler = (ctx, r) => {
  const version = ctx.apiVersion;
  r.int32(); // replica id
  if (version >= 2) r.int8(); // isolation level: no transactions, so both levels see the same log
  const request = r.array((x) => ({
    name: x.string(),
    partitions: x.array((y) => {
      const index = y.int32();
      const timestamp = y.int64AsNumber();
      if (version === 0) y.int32(); // max number of offsets
      return { index, timestamp };
    }),
  }));
  const topics = ctx.broker.topics;
  const unknown: string[] = [];
  const answers = request.map((t) => {
    const topic = topics.get(t.name);
    return {
      name: t.name,
      partitions: t.partitions.map((p): PartitionAnswer => {
        const log = topic?.partitions[p.index];
        if (!log) {
          unknown.push(`${t.name}-${p.index}`);
          return { index: p.index, errorCode: UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1, offset: -1 };
        }
        if (p.timestamp === LATEST)
          return { index: p.index, errorCode: NONE, timestamp: -1, offset: log.logEndOffset };
        if (p.timestamp === EARLIEST) {
          return { index: p.index, errorCode: NONE, timestamp: -1, offset: log.logStartOffset };
        }
        // Other negative values are later specs (max timestamp -3 needs v7, -4 and -5 tiered storage).
        if (p.timestamp < 0) {
          return { index: p.index, errorCode: UNSUPPORTED_VERSION, timestamp: -1, offset: -1 };
        }
        const found = log.offsetForTimestamp(p.timestamp);
        return found
          ? { index: p.index, errorCode: NONE, timestamp: found.timestamp, offset: found.offset }
          : { index: p.index, errorCode: NONE, timestamp: -1, offset: -1 };
      }),
    };
  });
  if (unknown.length > 0) ctx.log(`UNKNOWN_TOPIC_OR_PARTITION: ${unknown.join(', ')}`);
  return (w) => {
    if (version >= 2) w.int32(0);
    w.array(answers, (out, t) => {
      out.string(t.name);
      out.array(t.partitions, (o, p) => {
        o.int32(p.index).int16(p.errorCode);
        if (version === 0) {
          // v0 answers a list of offsets; "none found" is an empty list rather than -1.
          o.array(p.offset >= 0 ? [p.offset] : [], (oo, offset) => oo.int64(offset));
        } else {
          o.int64(p.timestamp).int64(p.offset);
        }
      });
    });
  };
};
