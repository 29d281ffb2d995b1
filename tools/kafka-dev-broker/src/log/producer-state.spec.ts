import { INVALID_PRODUCER_EPOCH, OUT_OF_ORDER_SEQUENCE_NUMBER } from '../protocol/error-codes';
import { addSequence, ProducerStateTable } from './producer-state';

describe('ProducerStateTable', () => {
  it('accepts any first sequence, then only the next one', () => {
    const table = new ProducerStateTable();
    expect(table.check(1n, 0, 17, 19)).toEqual({ kind: 'append' });
    table.record(1n, 0, 17, 19, 100);
    expect(table.check(1n, 0, 20, 20)).toEqual({ kind: 'append' });
    expect(table.check(1n, 0, 21, 21)).toMatchObject({
      kind: 'refuse',
      errorCode: OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
    expect(table.check(1n, 0, 15, 16)).toMatchObject({
      kind: 'refuse',
      errorCode: OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
  });

  it('recognises any of the last five batches as a duplicate, but not older ones', () => {
    const table = new ProducerStateTable();
    for (let i = 0; i < 6; i++) table.record(2n, 0, i * 10, i * 10 + 9, i * 10);
    expect(table.check(2n, 0, 10, 19)).toEqual({ kind: 'duplicate', baseOffset: 10 });
    expect(table.check(2n, 0, 50, 59)).toEqual({ kind: 'duplicate', baseOffset: 50 });
    expect(table.check(2n, 0, 0, 9)).toMatchObject({
      kind: 'refuse',
      errorCode: OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
    // Same base sequence, different length: not the same batch.
    expect(table.check(2n, 0, 50, 55)).toMatchObject({ kind: 'refuse' });
  });

  it('fences older epochs and makes a new epoch start at sequence 0', () => {
    const table = new ProducerStateTable();
    table.record(3n, 2, 0, 4, 0);
    expect(table.check(3n, 1, 5, 5)).toMatchObject({ kind: 'refuse', errorCode: INVALID_PRODUCER_EPOCH });
    expect(table.check(3n, 3, 5, 5)).toMatchObject({
      kind: 'refuse',
      errorCode: OUT_OF_ORDER_SEQUENCE_NUMBER,
    });
    expect(table.check(3n, 3, 0, 0)).toEqual({ kind: 'append' });
    table.record(3n, 3, 0, 0, 5);
    expect(table.check(3n, 2, 5, 5)).toMatchObject({ kind: 'refuse', errorCode: INVALID_PRODUCER_EPOCH });
  });

  it('wraps sequence numbers after INT32_MAX', () => {
    expect(addSequence(0x7fff_ffff, 1)).toBe(0);
    expect(addSequence(0x7fff_fffe, 3)).toBe(1);
    expect(addSequence(5, 3)).toBe(8);
    const table = new ProducerStateTable();
    table.record(4n, 0, 0x7fff_fffe, 0x7fff_ffff, 0);
    expect(table.check(4n, 0, 0, 2)).toEqual({ kind: 'append' });
  });

  it('reports the highest producer id it has seen', () => {
    const table = new ProducerStateTable();
    expect(table.maxProducerId()).toBe(-1n);
    table.record(7n, 0, 0, 0, 0);
    table.record(3n, 0, 0, 0, 1);
    expect(table.maxProducerId()).toBe(7n);
  });
});
