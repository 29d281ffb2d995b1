import type { PartitionLog } from '../log/partition-log';
import { addSequence } from '../log/producer-state';
import {
  CORRUPT_MESSAGE,
  INVALID_REQUIRED_ACKS,
  INVALID_TIMESTAMP,
  MESSAGE_TOO_LARGE,
  NONE,
  UNKNOWN_TOPIC_OR_PARTITION,
} from '../protocol/error-codes';
import type { Reader } from '../protocol/reader';
import {
  baseSequence,
  lastOffsetDelta,
  maxTimestamp,
  producerEpoch,
  producerId,
  splitBatches,
} from '../protocol/record-batch';
import type { ApiHandler } from './types';

const MAX_TIMESTAMP_AHEAD_MS = 3_600_000;

interface PartitionResult {
  index: number;
  errorCode: number;
  baseOffset: number;
  logStartOffset: number;
}

interface TopicResult {
  name: string;
  partitions: PartitionResult[];
}

interface Refusal {
  errorCode: number;
  reason: string;
}

/** Appends a partition's batches, or refuses all of them: a bad batch never leaves a partial write behind. */
function appendAll(
  log: PartitionLog,
  records: Buffer | null,
  keepViews: boolean,
  maxMessageBytes: number,
  now: number,
): { baseOffset: number } | Refusal {
  if (records === null) return { errorCode: CORRUPT_MESSAGE, reason: 'null record set' };
  const split = splitBatches(records);
  if (!('batches' in split)) return split;
  // Kafka checks each batch as sent (compressed), before any is stored.
  const tooLarge = split.batches.find((batch) => batch.length > maxMessageBytes);
  if (tooLarge) {
    return {
      errorCode: MESSAGE_TOO_LARGE,
      reason: `record batch of ${tooLarge.length} bytes is larger than max message bytes ${maxMessageBytes}`,
    };
  }
  // Kafka 4's log.message.timestamp.after.max.ms (1 hour): a record stamped further ahead is refused.
  const future = split.batches.find((batch) => maxTimestamp(batch) > now + MAX_TIMESTAMP_AHEAD_MS);
  if (future) {
    return {
      errorCode: INVALID_TIMESTAMP,
      reason: `timestamp ${maxTimestamp(future)} is more than ${MAX_TIMESTAMP_AHEAD_MS} ms ahead of the broker's clock`,
    };
  }
  let first = -1;
  for (const batch of split.batches) {
    const pid = producerId(batch);
    // Producer id -1: not idempotent, no sequence bookkeeping.
    if (pid < 0n) {
      const base = log.append(batch, keepViews);
      if (first < 0) first = base;
      continue;
    }
    const epoch = producerEpoch(batch);
    const firstSeq = baseSequence(batch);
    const lastSeq = addSequence(firstSeq, lastOffsetDelta(batch));
    const check = log.producers.check(pid, epoch, firstSeq, lastSeq);
    if (check.kind === 'refuse') return check;
    if (check.kind === 'duplicate') {
      // A retry whose first response was lost: answer with the offset it already got, store nothing.
      if (first < 0) first = check.baseOffset;
      continue;
    }
    const base = log.append(batch, keepViews);
    log.producers.record(pid, epoch, firstSeq, lastSeq, base);
    if (first < 0) first = base;
  }
  return { baseOffset: first };
}

export const produce: ApiHandler = (ctx, r) => {
  const version = ctx.apiVersion;
  if (version >= 3) r.nullableString(); // transactional id
  const acks = r.int16();
  r.int32(); // timeout: a single replica is always in sync
  const topicData = r.array((x: Reader) => ({
    name: x.string(),
    partitions: x.array((y) => ({ index: y.int32(), records: y.nullableBytes() })),
  }));

  const topics = ctx.broker.topics;
  const now = Date.now();
  const touched = new Set<PartitionLog>();
  const refusals: string[] = [];
  const results: TopicResult[] = topicData.map((t) => {
    const topic = topics.get(t.name);
    return {
      name: t.name,
      partitions: t.partitions.map((p): PartitionResult => {
        const log = topic?.partitions[p.index];
        const refuse = (errorCode: number, reason: string, logStartOffset = -1): PartitionResult => {
          refusals.push(`${t.name}-${p.index}: ${reason} (error ${errorCode})`);
          return { index: p.index, errorCode, baseOffset: -1, logStartOffset };
        };
        if (acks !== 0 && acks !== 1 && acks !== -1) return refuse(INVALID_REQUIRED_ACKS, `acks=${acks}`);
        if (!log) return refuse(UNKNOWN_TOPIC_OR_PARTITION, 'unknown topic or partition');
        // Kafka answers a refused batch with the partition's log start offset.
        const outcome = appendAll(log, p.records, ctx.ownsFrame, ctx.broker.config.maxMessageBytes, now);
        if ('reason' in outcome) return refuse(outcome.errorCode, outcome.reason, log.logStartOffset);
        touched.add(log);
        return {
          index: p.index,
          errorCode: NONE,
          baseOffset: outcome.baseOffset,
          logStartOffset: log.logStartOffset,
        };
      }),
    };
  });
  for (const log of touched) log.notifyAppend();
  if (refusals.length > 0) ctx.log(`refused produce: ${refusals.join('; ')}`);

  if (acks === 0) return null;
  return (w) => {
    w.array(results, (out, t) => {
      out.string(t.name);
      out.array(t.partitions, (o, p) => {
        o.int32(p.index).int16(p.errorCode).int64(p.baseOffset);
        if (version >= 2) o.int64(-1); // log append time: topics use CreateTime
        if (version >= 5) o.int64(p.logStartOffset);
      });
    });
    if (version >= 1) w.int32(0);
  };
};
