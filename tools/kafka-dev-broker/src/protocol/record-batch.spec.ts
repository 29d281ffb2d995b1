import { buildRecordBatch } from '../../test/helpers/record-batch';
import { CORRUPT_MESSAGE, NONE, UNSUPPORTED_FOR_MESSAGE_FORMAT } from './error-codes';
import {
  baseOffset,
  baseSequence,
  lastOffsetDelta,
  producerId,
  setBaseOffset,
  splitBatches,
} from './record-batch';
import { findRecordAtOrAfter } from './records';

describe('splitBatches', () => {
  const one = buildRecordBatch({ records: [{ value: 'a' }, { value: 'b' }] });
  const two = buildRecordBatch({
    producerId: 9n,
    producerEpoch: 0,
    baseSequence: 4,
    records: [{ value: 'c' }],
  });

  it('splits consecutive batches into views and reads their header fields', () => {
    const result = splitBatches(Buffer.concat([one, two]));
    expect(result.errorCode).toBe(NONE);
    if (!('batches' in result)) throw new Error('expected batches');
    expect(result.batches.map((b) => b.length)).toEqual([one.length, two.length]);
    expect(lastOffsetDelta(result.batches[0])).toBe(1);
    expect(producerId(result.batches[1])).toBe(9n);
    expect(baseSequence(result.batches[1])).toBe(4);
  });

  it('refuses a batch with a flipped bit as CORRUPT_MESSAGE', () => {
    const bad = Buffer.from(one);
    bad[bad.length - 1] ^= 1;
    expect(splitBatches(bad)).toMatchObject({
      errorCode: CORRUPT_MESSAGE,
      reason: expect.stringMatching(/CRC-32C/),
    });
  });

  it('does not cover baseOffset with the CRC, so the broker may rewrite it', () => {
    const copy = Buffer.from(one);
    setBaseOffset(copy, 123_456_789_012);
    expect(baseOffset(copy)).toBe(123_456_789_012);
    expect(splitBatches(copy).errorCode).toBe(NONE);
  });

  it('refuses old message formats, truncated batches and empty record sets', () => {
    const old = Buffer.from(one);
    old[16] = 1;
    expect(splitBatches(old).errorCode).toBe(UNSUPPORTED_FOR_MESSAGE_FORMAT);
    expect(splitBatches(one.subarray(0, one.length - 1)).errorCode).toBe(CORRUPT_MESSAGE);
    expect(splitBatches(one.subarray(0, 30)).errorCode).toBe(CORRUPT_MESSAGE);
    expect(splitBatches(Buffer.alloc(0)).errorCode).toBe(CORRUPT_MESSAGE);
  });
});

describe('findRecordAtOrAfter', () => {
  const batch = buildRecordBatch({
    baseTimestamp: 5000,
    records: [
      { value: 'a', timestampDelta: 0 },
      { value: 'b', timestampDelta: 10 },
      { value: 'c', timestampDelta: 20 },
    ],
  });

  it('finds the first record at or after a timestamp', () => {
    expect(findRecordAtOrAfter(batch, 0)).toEqual({ offset: 0, timestamp: 5000 });
    expect(findRecordAtOrAfter(batch, 5005)).toEqual({ offset: 1, timestamp: 5010 });
    expect(findRecordAtOrAfter(batch, 5020)).toEqual({ offset: 2, timestamp: 5020 });
    expect(findRecordAtOrAfter(batch, 5021)).toBeNull();
  });
});
