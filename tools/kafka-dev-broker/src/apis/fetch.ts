import type { PartitionLog } from '../log/partition-log';
import { NONE, OFFSET_OUT_OF_RANGE, UNKNOWN_TOPIC_OR_PARTITION } from '../protocol/error-codes';
import type { Reader } from '../protocol/reader';
import type { ApiHandler, RequestContext, ResponseBody } from './types';

const FETCH_SESSION_ID_NOT_FOUND = 70;
const INT32_MAX = 0x7fff_ffff;

interface FetchRequest {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  sessionId: number;
  topics: Array<{
    name: string;
    partitions: Array<{ index: number; fetchOffset: number; maxBytes: number }>;
  }>;
}

interface PartitionData {
  index: number;
  errorCode: number;
  highWatermark: number;
  logStartOffset: number;
  chunks: Buffer[];
  bytes: number;
}

interface Collected {
  topics: Array<{ name: string; partitions: PartitionData[] }>;
  bytes: number;
  /** An error answers at once, without waiting for data (as Kafka's DelayedFetch does). */
  hasError: boolean;
}

function decode(r: Reader, version: number): FetchRequest {
  r.int32(); // replica id
  const maxWaitMs = r.int32();
  const minBytes = r.int32();
  const maxBytes = version >= 3 ? r.int32() : INT32_MAX;
  if (version >= 4) r.int8(); // isolation level: no transactions, so the last stable offset is the log end
  let sessionId = 0;
  if (version >= 7) {
    sessionId = r.int32();
    r.int32(); // session epoch
  }
  const topics = r.array((x) => ({
    name: x.string(),
    partitions: x.array((y) => {
      const index = y.int32();
      if (version >= 9) y.int32(); // current leader epoch
      const fetchOffset = y.int64AsNumber();
      if (version >= 5) y.int64(); // follower log start offset
      return { index, fetchOffset, maxBytes: y.int32() };
    }),
  }));
  if (version >= 7) r.array((x) => [x.string(), x.array((y) => y.int32())]); // forgotten topics
  if (version >= 11) r.string(); // rack id
  return { maxWaitMs, minBytes, maxBytes, sessionId, topics };
}

function collect(ctx: RequestContext, req: FetchRequest): Collected {
  let remaining = req.maxBytes;
  let total = 0;
  let hasError = false;
  const outOfRange: string[] = [];
  const registry = ctx.broker.topics;
  const topics = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p): PartitionData => {
      // Looked up on every pass: a topic deleted during a long poll must answer UNKNOWN_TOPIC_OR_PARTITION.
      const log = registry.get(t.name)?.partitions[p.index];
      if (!log) {
        hasError = true;
        return {
          index: p.index,
          errorCode: UNKNOWN_TOPIC_OR_PARTITION,
          highWatermark: -1,
          logStartOffset: -1,
          chunks: [],
          bytes: 0,
        };
      }
      const base = { index: p.index, highWatermark: log.logEndOffset, logStartOffset: log.logStartOffset };
      if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.logEndOffset) {
        hasError = true;
        outOfRange.push(
          `${t.name}-${p.index} at ${p.fetchOffset} outside [${log.logStartOffset}, ${log.logEndOffset}]`,
        );
        return { ...base, errorCode: OFFSET_OUT_OF_RANGE, chunks: [], bytes: 0 };
      }
      // KIP-74: the first batch of the first partition with data goes out whatever the limits; after that both
      // the partition and the response limit hold.
      const read = log.read(p.fetchOffset, Math.min(p.maxBytes, remaining), total === 0);
      total += read.bytes;
      remaining = Math.max(0, remaining - read.bytes);
      return { ...base, errorCode: NONE, chunks: read.chunks, bytes: read.bytes };
    }),
  }));
  if (outOfRange.length > 0) ctx.log(`OFFSET_OUT_OF_RANGE: ${outOfRange.join('; ')}`);
  return { topics, bytes: total, hasError };
}

function encode(version: number, collected: Collected, topLevelError: number): ResponseBody {
  return (w) => {
    if (version >= 1) w.int32(0);
    if (version >= 7) w.int16(topLevelError).int32(0); // session id 0: no fetch session, every fetch is full
    w.array(collected.topics, (out, t) => {
      out.string(t.name);
      out.array(t.partitions, (o, p) => {
        o.int32(p.index).int16(p.errorCode).int64(p.highWatermark);
        if (version >= 4) o.int64(p.highWatermark); // last stable offset
        if (version >= 5) o.int64(p.logStartOffset);
        if (version >= 4) o.int32(0); // aborted transactions: none
        if (version >= 11) o.int32(-1); // preferred read replica
        o.int32(p.bytes);
        for (const chunk of p.chunks) o.raw(chunk);
      });
    });
  };
}

/** Fetch with long polling: answers once min bytes are there, on an error, or when max wait runs out. */
export const fetch: ApiHandler = (ctx, r) => {
  const version = ctx.apiVersion;
  const req = decode(r, version);
  if (req.sessionId !== 0) {
    // We never create fetch sessions, so a client can only name one it made up.
    ctx.log(`refused fetch in unknown session ${req.sessionId}`);
    return encode(version, { topics: [], bytes: 0, hasError: true }, FETCH_SESSION_ID_NOT_FOUND);
  }
  const first = collect(ctx, req);
  if (first.hasError || first.bytes >= req.minBytes || req.maxWaitMs <= 0)
    return encode(version, first, NONE);

  return new Promise((resolve, reject) => {
    let done = false;
    let scheduled = false;
    const unsubscribers: Array<() => void> = [];
    const finish = (result: ResponseBody | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const unsubscribe of unsubscribers) unsubscribe();
      resolve(result);
    };
    // Timer and wake-up callbacks run outside the request: an error there (a failed disk read) must fail this
    // request, which closes its connection, not escape and stop the broker.
    const attempt = (final: boolean): void => {
      if (done) return;
      try {
        const again = collect(ctx, req);
        if (final || again.hasError || again.bytes >= req.minBytes) finish(encode(version, again, NONE));
      } catch (err) {
        done = true;
        clearTimeout(timer);
        for (const unsubscribe of unsubscribers) unsubscribe();
        reject(err);
      }
    };
    const timer = setTimeout(() => attempt(true), req.maxWaitMs);
    const onAppend = (): void => {
      // One produce request may append to many partitions: look again once, after it is done.
      if (scheduled || done) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        attempt(false);
      });
    };
    const logs = new Set<PartitionLog>();
    for (const t of req.topics) {
      const topic = ctx.broker.topics.get(t.name);
      for (const p of t.partitions) {
        const log = topic?.partitions[p.index];
        if (log) logs.add(log);
      }
    }
    for (const log of logs) unsubscribers.push(log.onAppend(onAppend));
    unsubscribers.push(ctx.onClose(() => finish(null)));
  });
};
