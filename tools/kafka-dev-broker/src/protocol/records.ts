import { gunzipSync } from 'node:zlib';
import { Reader } from './reader';
import {
  attributes,
  BATCH_HEADER_SIZE,
  BATCH_OFFSET_RECORD_COUNT,
  baseOffset,
  baseTimestamp,
  maxTimestamp,
} from './record-batch';

const COMPRESSION_MASK = 0x07;
const GZIP = 1;
const LOG_APPEND_TIME = 0x08;

/**
 * The first record of a batch whose timestamp is at least `timestamp` (ListOffsets by time). This is the only
 * place the broker looks inside records. Uncompressed and gzip batches are walked record by record; for codecs
 * Node cannot inflate (snappy, lz4, zstd) the batch's first offset and max timestamp are the answer, which a
 * consumer seeking there then filters exactly as it would with Kafka.
 */
export function findRecordAtOrAfter(
  batch: Buffer,
  timestamp: number,
): { offset: number; timestamp: number } | null {
  const first = baseOffset(batch);
  const attrs = attributes(batch);
  // With LogAppendTime every record carries the batch's max timestamp.
  if (attrs & LOG_APPEND_TIME) {
    const ts = maxTimestamp(batch);
    return ts >= timestamp ? { offset: first, timestamp: ts } : null;
  }
  let records: Buffer;
  const codec = attrs & COMPRESSION_MASK;
  try {
    if (codec === 0) records = batch.subarray(BATCH_HEADER_SIZE);
    else if (codec === GZIP) records = gunzipSync(batch.subarray(BATCH_HEADER_SIZE));
    else return maxTimestamp(batch) >= timestamp ? { offset: first, timestamp: maxTimestamp(batch) } : null;
    const count = batch.readInt32BE(BATCH_OFFSET_RECORD_COUNT);
    const base = baseTimestamp(batch);
    const r = new Reader(records);
    for (let i = 0; i < count; i++) {
      const length = r.varint();
      const start = r.offset;
      r.int8();
      const ts = base + Number(r.varlong());
      const offsetDelta = r.varint();
      if (ts >= timestamp) return { offset: first + offsetDelta, timestamp: ts };
      r.skip(length - (r.offset - start));
    }
  } catch {
    // A batch whose records do not parse still answers by its header.
    return maxTimestamp(batch) >= timestamp ? { offset: first, timestamp: maxTimestamp(batch) } : null;
  }
  return null;
}
