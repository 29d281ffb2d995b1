import { API } from '../../src/protocol/api-keys';
import type { RawClient } from './raw-client';

// Hand-written encoders of the few requests the protocol-level tests send, at the versions clients use.

export interface ProduceAnswer {
  errorCode: number;
  baseOffset: number;
  logStartOffset: number;
}

export async function produceV7(
  client: RawClient,
  topic: string,
  partition: number,
  records: Buffer,
  acks = -1,
): Promise<ProduceAnswer> {
  const r = await client.request(API.Produce, 7, (w) => {
    w.nullableString(null).int16(acks).int32(5000);
    w.int32(1).string(topic).int32(1).int32(partition).bytes(records);
  });
  const topics = r.array((x) => ({
    name: x.string(),
    partitions: x.array((y) => {
      const index = y.int32();
      const errorCode = y.int16();
      const baseOffset = y.int64AsNumber();
      y.int64(); // log append time
      return { index, errorCode, baseOffset, logStartOffset: y.int64AsNumber() };
    }),
  }));
  r.int32(); // throttle
  const answer = topics[0]?.partitions[0];
  if (!answer) throw new Error('produce response without a partition');
  return answer;
}

export interface FetchOptions {
  maxWaitMs?: number;
  minBytes?: number;
  maxBytes?: number;
  partitionMaxBytes?: number;
}

export interface FetchAnswer {
  index: number;
  errorCode: number;
  highWatermark: number;
  logStartOffset: number;
  records: Buffer;
}

export async function fetchV11(
  client: RawClient,
  topic: string,
  partitions: Array<{ partition: number; offset: number }>,
  opts: FetchOptions = {},
): Promise<FetchAnswer[]> {
  const r = await client.request(API.Fetch, 11, (w) => {
    w.int32(-1)
      .int32(opts.maxWaitMs ?? 0)
      .int32(opts.minBytes ?? 0)
      .int32(opts.maxBytes ?? 50 * 1024 * 1024)
      .int8(0)
      .int32(0)
      .int32(-1);
    w.int32(1).string(topic);
    w.array(partitions, (x, p) =>
      x
        .int32(p.partition)
        .int32(-1)
        .int64(p.offset)
        .int64(-1)
        .int32(opts.partitionMaxBytes ?? 10 * 1024 * 1024),
    );
    w.int32(0).string('');
  });
  r.int32(); // throttle
  const errorCode = r.int16();
  if (errorCode !== 0) throw new Error(`fetch failed with top-level error ${errorCode}`);
  r.int32(); // session id
  const topics = r.array((x) => ({
    name: x.string(),
    partitions: x.array((y) => {
      const index = y.int32();
      const partitionError = y.int16();
      const highWatermark = y.int64AsNumber();
      y.int64(); // last stable offset
      const logStartOffset = y.int64AsNumber();
      y.nullableArray((z) => [z.int64(), z.int64()]);
      y.int32(); // preferred read replica
      return {
        index,
        errorCode: partitionError,
        highWatermark,
        logStartOffset,
        records: y.nullableBytes() ?? Buffer.alloc(0),
      };
    }),
  }));
  return topics[0]?.partitions ?? [];
}

/** Base offset and record count of each batch in a fetched record set. */
export function batchesIn(records: Buffer): Array<{ baseOffset: number; count: number; size: number }> {
  const out: Array<{ baseOffset: number; count: number; size: number }> = [];
  let pos = 0;
  while (pos + 61 <= records.length) {
    const size = records.readInt32BE(pos + 8) + 12;
    out.push({
      baseOffset: Number(records.readBigInt64BE(pos)),
      count: records.readInt32BE(pos + 23) + 1,
      size,
    });
    pos += size;
  }
  return out;
}

export async function listOffsetsV2(
  client: RawClient,
  topic: string,
  partition: number,
  timestamp: number,
): Promise<{ errorCode: number; timestamp: number; offset: number }> {
  const r = await client.request(API.ListOffsets, 2, (w) => {
    w.int32(-1).int8(0).int32(1).string(topic).int32(1).int32(partition).int64(timestamp);
  });
  r.int32();
  const topics = r.array((x) => ({
    name: x.string(),
    partitions: x.array((y) => ({
      index: y.int32(),
      errorCode: y.int16(),
      timestamp: y.int64AsNumber(),
      offset: y.int64AsNumber(),
    })),
  }));
  const answer = topics[0]?.partitions[0];
  if (!answer) throw new Error('ListOffsets response without a partition');
  return answer;
}

export async function initProducerIdV1(
  client: RawClient,
  transactionalId: string | null = null,
): Promise<{ errorCode: number; producerId: bigint; epoch: number }> {
  const r = await client.request(API.InitProducerId, 1, (w) =>
    w.nullableString(transactionalId).int32(60_000),
  );
  r.int32();
  return { errorCode: r.int16(), producerId: r.int64(), epoch: r.int16() };
}

export async function createTopicV3(
  client: RawClient,
  topic: string,
  partitions: number,
  replicationFactor = 1,
): Promise<{ errorCode: number; message: string | null }> {
  const r = await client.request(API.CreateTopics, 3, (w) => {
    w.int32(1).string(topic).int32(partitions).int16(replicationFactor).int32(0).int32(0);
    w.int32(5000).boolean(false);
  });
  r.int32();
  const topics = r.array((x) => ({ name: x.string(), errorCode: x.int16(), message: x.nullableString() }));
  const answer = topics[0];
  if (!answer) throw new Error('CreateTopics response without a topic');
  return answer;
}

export async function metadataV4(
  client: RawClient,
  topics: string[] | null,
  allowAutoCreate: boolean,
): Promise<{
  controllerId: number;
  brokers: Array<{ nodeId: number; host: string; port: number }>;
  topics: Array<{ errorCode: number; name: string; partitions: number }>;
}> {
  const r = await client.request(API.Metadata, 4, (w) => {
    w.nullableArray(topics, (x, t) => x.string(t));
    w.boolean(allowAutoCreate);
  });
  r.int32();
  const brokers = r.array((x) => {
    const b = { nodeId: x.int32(), host: x.string(), port: x.int32() };
    x.nullableString();
    return b;
  });
  r.nullableString();
  const controllerId = r.int32();
  const topicList = r.array((x) => {
    const errorCode = x.int16();
    const name = x.string();
    x.boolean();
    const partitions = x.array((y) => {
      y.int16();
      const index = y.int32();
      y.int32();
      y.array((z) => z.int32());
      y.array((z) => z.int32());
      return index;
    });
    return { errorCode, name, partitions: partitions.length };
  });
  return { controllerId, brokers, topics: topicList };
}
