import { buildRecordBatch } from '../../test/helpers/record-batch';
import { baseOffset } from '../protocol/record-batch';
import { PartitionLog } from './partition-log';

function batchOf(records: number, bytes = 10, baseTimestamp = 1000): Buffer {
  return buildRecordBatch({
    baseTimestamp,
    records: Array.from({ length: records }, (_, i) => ({ value: 'v'.repeat(bytes), timestampDelta: i })),
  });
}

describe('PartitionLog', () => {
  it('assigns consecutive offsets and rewrites only baseOffset', () => {
    const log = new PartitionLog('t', 0, 1 << 20);
    const a = batchOf(3);
    const original = Buffer.from(a);
    expect(log.append(a)).toBe(0);
    expect(log.append(batchOf(2))).toBe(3);
    expect(log.logEndOffset).toBe(5);
    const { chunks } = log.read(0, 1 << 20, true);
    expect(chunks).toHaveLength(2);
    expect(chunks[0].subarray(8)).toEqual(original.subarray(8));
    expect(baseOffset(chunks[1])).toBe(3);
  });

  it('reads from the batch holding the offset, within limits, always the first batch when asked', () => {
    const log = new PartitionLog('t', 0, 1 << 20);
    for (let i = 0; i < 4; i++) log.append(batchOf(2, 100));
    const size = log.read(0, 1 << 20, true).bytes / 4;
    expect(log.read(3, 1 << 20, false).chunks.map(baseOffset)).toEqual([2, 4, 6]);
    expect(log.read(0, size * 2, false).chunks).toHaveLength(2);
    expect(log.read(0, size - 1, false).chunks).toHaveLength(0);
    expect(log.read(0, size - 1, true).chunks).toHaveLength(1);
    expect(log.read(8, 1 << 20, true).chunks).toHaveLength(0);
  });

  it('drops the oldest batches beyond its byte bound and advances the log start offset', () => {
    const size = batchOf(1, 1000).length;
    const log = new PartitionLog('t', 0, size * 3);
    for (let i = 0; i < 10; i++) log.append(batchOf(1, 1000));
    expect(log.logStartOffset).toBe(7);
    expect(log.logEndOffset).toBe(10);
    expect(log.read(7, 1 << 20, true).chunks.map(baseOffset)).toEqual([7, 8, 9]);
    expect(log.read(2, 1 << 20, true).chunks).toHaveLength(0);
  });

  it('always keeps the newest batch, even when it alone exceeds the bound', () => {
    const log = new PartitionLog('t', 0, 10);
    log.append(batchOf(1, 1000));
    log.append(batchOf(1, 1000));
    expect(log.logStartOffset).toBe(1);
    expect(log.read(1, 1 << 20, true).chunks).toHaveLength(1);
  });

  it('finds offsets by timestamp', () => {
    const log = new PartitionLog('t', 0, 1 << 20);
    log.append(batchOf(3, 10, 1000));
    log.append(batchOf(3, 10, 2000));
    expect(log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: 1000 });
    expect(log.offsetForTimestamp(1001)).toEqual({ offset: 1, timestamp: 1001 });
    expect(log.offsetForTimestamp(1500)).toEqual({ offset: 3, timestamp: 2000 });
    expect(log.offsetForTimestamp(9999)).toBeNull();
  });

  it('tells listeners about appends until they unsubscribe', () => {
    const log = new PartitionLog('t', 0, 1 << 20);
    let calls = 0;
    const off = log.onAppend(() => calls++);
    log.notifyAppend();
    off();
    log.notifyAppend();
    expect(calls).toBe(1);
  });
});
