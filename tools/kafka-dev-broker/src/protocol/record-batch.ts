import { crc32c } from './crc32c';
import { CORRUPT_MESSAGE, NONE, UNSUPPORTED_FOR_MESSAGE_FORMAT } from './error-codes';

// Record batch v2 (magic 2) header layout. The broker only ever reads these fixed fields: records stay opaque,
// and compressed ones are never inflated.
export const BATCH_OFFSET_BASE_OFFSET = 0;
export const BATCH_OFFSET_LENGTH = 8;
export const BATCH_OFFSET_MAGIC = 16;
export const BATCH_OFFSET_CRC = 17;
/** The CRC covers everything from the attributes to the end: not baseOffset, length, leader epoch or magic. */
export const BATCH_OFFSET_ATTRIBUTES = 21;
export const BATCH_OFFSET_LAST_OFFSET_DELTA = 23;
export const BATCH_OFFSET_BASE_TIMESTAMP = 27;
export const BATCH_OFFSET_MAX_TIMESTAMP = 35;
export const BATCH_OFFSET_PRODUCER_ID = 43;
export const BATCH_OFFSET_PRODUCER_EPOCH = 51;
export const BATCH_OFFSET_BASE_SEQUENCE = 53;
export const BATCH_OFFSET_RECORD_COUNT = 57;
export const BATCH_HEADER_SIZE = 61;
/** baseOffset and batchLength precede what batchLength counts. */
export const BATCH_LOG_OVERHEAD = 12;

export type SplitResult =
  { errorCode: typeof NONE; batches: Buffer[] } | { errorCode: number; reason: string };

function readNumber64(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 0x1_0000_0000 + buf.readUInt32BE(at + 4);
}

/**
 * Splits a produce request's record set into batches (views, not copies) and checks each: framing, magic 2,
 * CRC-32C. Any bad batch refuses the whole partition, as Kafka does, so nothing partial is stored.
 */
export function splitBatches(records: Buffer): SplitResult {
  const batches: Buffer[] = [];
  let pos = 0;
  while (pos < records.length) {
    if (records.length - pos < BATCH_HEADER_SIZE) {
      // Magic sits at byte 16 in every message format, so an old-format message set is told apart here too.
      if (records.length - pos > BATCH_OFFSET_MAGIC && records[pos + BATCH_OFFSET_MAGIC] < 2) {
        return { errorCode: UNSUPPORTED_FOR_MESSAGE_FORMAT, reason: 'message format v0/v1 (magic < 2)' };
      }
      return {
        errorCode: CORRUPT_MESSAGE,
        reason: `${records.length - pos} trailing bytes, shorter than a batch header`,
      };
    }
    const magic = records[pos + BATCH_OFFSET_MAGIC];
    if (magic !== 2) {
      return magic < 2
        ? {
            errorCode: UNSUPPORTED_FOR_MESSAGE_FORMAT,
            reason: `message format v${magic} (only record batch v2)`,
          }
        : { errorCode: CORRUPT_MESSAGE, reason: `unknown magic ${magic}` };
    }
    const size = records.readInt32BE(pos + BATCH_OFFSET_LENGTH) + BATCH_LOG_OVERHEAD;
    if (size < BATCH_HEADER_SIZE || pos + size > records.length) {
      return { errorCode: CORRUPT_MESSAGE, reason: `batch length ${size - BATCH_LOG_OVERHEAD} does not fit` };
    }
    const stored = records.readUInt32BE(pos + BATCH_OFFSET_CRC);
    const computed = crc32c(records, pos + BATCH_OFFSET_ATTRIBUTES, pos + size);
    if (stored !== computed) {
      return {
        errorCode: CORRUPT_MESSAGE,
        reason: `CRC-32C mismatch (batch says ${stored.toString(16)}, bytes give ${computed.toString(16)})`,
      };
    }
    if (
      records.readInt32BE(pos + BATCH_OFFSET_LAST_OFFSET_DELTA) < 0 ||
      records.readInt32BE(pos + BATCH_OFFSET_RECORD_COUNT) < 0
    ) {
      return { errorCode: CORRUPT_MESSAGE, reason: 'negative record count or last offset delta' };
    }
    batches.push(records.subarray(pos, pos + size));
    pos += size;
  }
  if (batches.length === 0) return { errorCode: CORRUPT_MESSAGE, reason: 'empty record set' };
  return { errorCode: NONE, batches };
}

export function lastOffsetDelta(batch: Buffer): number {
  return batch.readInt32BE(BATCH_OFFSET_LAST_OFFSET_DELTA);
}

export function maxTimestamp(batch: Buffer): number {
  return readNumber64(batch, BATCH_OFFSET_MAX_TIMESTAMP);
}

export function baseTimestamp(batch: Buffer): number {
  return readNumber64(batch, BATCH_OFFSET_BASE_TIMESTAMP);
}

export function producerId(batch: Buffer): bigint {
  return batch.readBigInt64BE(BATCH_OFFSET_PRODUCER_ID);
}

export function producerEpoch(batch: Buffer): number {
  return batch.readInt16BE(BATCH_OFFSET_PRODUCER_EPOCH);
}

export function baseSequence(batch: Buffer): number {
  return batch.readInt32BE(BATCH_OFFSET_BASE_SEQUENCE);
}

export function attributes(batch: Buffer): number {
  return batch.readInt16BE(BATCH_OFFSET_ATTRIBUTES);
}

export function setBaseOffset(batch: Buffer, offset: number): void {
  const high = Math.floor(offset / 0x1_0000_0000);
  batch.writeInt32BE(high, BATCH_OFFSET_BASE_OFFSET);
  batch.writeUInt32BE(offset - high * 0x1_0000_0000, BATCH_OFFSET_BASE_OFFSET + 4);
}

export function baseOffset(batch: Buffer): number {
  return readNumber64(batch, BATCH_OFFSET_BASE_OFFSET);
}
