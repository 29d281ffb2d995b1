import { crc32c } from '../../src/protocol/crc32c';
import { Writer } from '../../src/protocol/writer';

export interface TestRecord {
  key?: string | null;
  value: string;
  /** Milliseconds after the batch's base timestamp. */
  timestampDelta?: number;
}

export interface BatchOptions {
  records: TestRecord[];
  baseTimestamp?: number;
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
}

/** Encodes an uncompressed record batch v2 the way a client does, CRC-32C included. */
export function buildRecordBatch(opts: BatchOptions): Buffer {
  const baseTimestamp = opts.baseTimestamp ?? Date.now();
  const records = new Writer();
  let maxDelta = 0;
  opts.records.forEach((rec, i) => {
    const body = new Writer();
    const delta = rec.timestampDelta ?? 0;
    maxDelta = Math.max(maxDelta, delta);
    body.int8(0).varint(delta).varint(i);
    const key = rec.key === undefined || rec.key === null ? null : Buffer.from(rec.key);
    if (key) body.varint(key.length).raw(key);
    else body.varint(-1);
    const value = Buffer.from(rec.value);
    body.varint(value.length).raw(value).varint(0);
    const encoded = body.toBuffer();
    records.varint(encoded.length).raw(encoded);
  });
  const recordBytes = records.toBuffer();
  const w = new Writer();
  w.int64(0).int32(0).int32(-1).int8(2).uint32(0);
  w.int16(0)
    .int32(opts.records.length - 1)
    .int64(baseTimestamp)
    .int64(baseTimestamp + maxDelta)
    .int64(opts.producerId ?? -1n)
    .int16(opts.producerEpoch ?? -1)
    .int32(opts.baseSequence ?? -1)
    .int32(opts.records.length)
    .raw(recordBytes);
  const batch = Buffer.from(w.toBuffer());
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeUInt32BE(crc32c(batch, 21), 17);
  return batch;
}
