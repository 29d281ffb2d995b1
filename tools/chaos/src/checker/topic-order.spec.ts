import type { LoggedRecord } from './kafka-log';
import { readStreams } from './topic-order';

const STREAM = '00000000-0000-4000-8000-000000000001';
let offset = 0;
const record = (version: number, id: string, key = STREAM): LoggedRecord => ({
  partition: 0,
  offset: offset++,
  key,
  value: JSON.stringify({ orderId: STREAM }),
  headers: {
    ce_id: id,
    ce_type: 'tandem.orders.OrderLineAdded.v1',
    ce_subject: STREAM,
    ce_streamversion: String(version),
    ce_time: '2026-12-01T10:00:00.000Z',
    ce_causationid: `key-${id}`,
  },
});

describe("the checker's reading of a topic", () => {
  it('counts a republished window as duplicates and keeps each event once, in version order', () => {
    const reading = readStreams(
      't',
      [record(1, 'a'), record(2, 'b'), record(3, 'c'), record(2, 'b'), record(3, 'c'), record(4, 'd')],
      new Set(),
    );
    expect(reading.failures).toEqual([]);
    expect(reading.duplicates).toBe(2);
    expect(reading.streams.get(STREAM)?.map((e) => e.version)).toEqual([1, 2, 3, 4]);
  });

  it('fails a gap, a version going back, two events with one version, and a record keyed by another id', () => {
    expect(readStreams('t', [record(1, 'a'), record(3, 'c')], new Set()).failures).toHaveLength(1);
    expect(readStreams('t', [record(2, 'b'), record(1, 'a')], new Set()).failures).toHaveLength(2);
    expect(readStreams('t', [record(1, 'a'), record(1, 'x')], new Set()).failures).toHaveLength(1);
    expect(readStreams('t', [record(1, 'a', 'other')], new Set()).failures).toHaveLength(1);
  });

  it('leaves out the poison it was told about', () => {
    const reading = readStreams('t', [record(1, 'a'), record(7, 'poison')], new Set(['poison']));
    expect(reading.failures).toEqual([]);
    expect(reading.ids).toEqual(new Set(['a']));
  });
});
