import { CompressionTypes } from 'kafkajs';
import { buildRecordBatch } from '../../helpers/record-batch';
import { batchesIn, fetchV11, initProducerIdV1, listOffsetsV2, produceV7 } from '../../helpers/requests';
import { waitUntil } from '../../helpers/wait';
import type { BrokerUnderTest } from '../broker-under-test';
import { connectedAdmin, consume, createTopic, hex } from '../clients';

const INVALID_REQUIRED_ACKS = 21;
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
const OFFSET_OUT_OF_RANGE = 1;

/** Producer id, epoch and base sequence of each stored batch, read from its header. */
function batchProducers(records: Buffer): Array<{ producerId: bigint; epoch: number; baseSequence: number }> {
  const out: Array<{ producerId: bigint; epoch: number; baseSequence: number }> = [];
  let pos = 0;
  for (const batch of batchesIn(records)) {
    out.push({
      producerId: records.readBigInt64BE(pos + 43),
      epoch: records.readInt16BE(pos + 51),
      baseSequence: records.readInt32BE(pos + 53),
    });
    pos += batch.size;
  }
  return out;
}

export function produceFetchScenarios(broker: () => BrokerUnderTest): void {
  describe('produce and fetch', () => {
    it('returns keys, values, null values, headers (repeated, binary) and timestamps as produced', async () => {
      const b = broker();
      const topic = await createTopic(b, 'records');
      const producer = b.closeLater(b.kafka().producer(), (p) => p.disconnect());
      await producer.connect();
      const at = Date.now() - 60_000;
      await producer.send({
        topic,
        messages: [
          {
            key: 'order-1',
            value: '{"n":1}',
            timestamp: String(at),
            headers: { ce_id: 'id-1', multi: ['a', 'b'], binary: Buffer.from([0, 1, 255]) },
          },
          { key: null, value: 'no key', timestamp: String(at + 1) },
          { key: 'order-1', value: null, timestamp: String(at + 2) },
        ],
      });
      const got = await consume(b, topic, 3);
      expect(got).toEqual([
        {
          partition: 0,
          offset: 0,
          key: 'order-1',
          value: '{"n":1}',
          timestamp: at,
          headers: { ce_id: [hex('id-1')], multi: [hex('a'), hex('b')], binary: ['0001ff'] },
        },
        { partition: 0, offset: 1, key: null, value: 'no key', timestamp: at + 1, headers: {} },
        { partition: 0, offset: 2, key: 'order-1', value: null, timestamp: at + 2, headers: {} },
      ]);
    });

    it('stores records sent with acks 0, 1 and all, answering offsets for 1 and all', async () => {
      const b = broker();
      const topic = await createTopic(b, 'acks');
      const producer = b.closeLater(b.kafka().producer(), (p) => p.disconnect());
      await producer.connect();
      const one = await producer.send({ topic, acks: 1, messages: [{ value: 'acks=1' }] });
      const all = await producer.send({ topic, acks: -1, messages: [{ value: 'acks=all' }] });
      await producer.send({ topic, acks: 0, messages: [{ value: 'acks=0' }] });
      expect(one).toEqual([expect.objectContaining({ errorCode: 0, baseOffset: '0' })]);
      expect(all).toEqual([expect.objectContaining({ errorCode: 0, baseOffset: '1' })]);
      const admin = await connectedAdmin(b);
      await waitUntil('the acks=0 record', async () => {
        const [p] = await admin.fetchTopicOffsets(topic);
        return p?.high === '3';
      });
      expect((await consume(b, topic, 3)).map((m) => m.value)).toEqual(['acks=1', 'acks=all', 'acks=0']);

      const raw = await b.raw();
      const refused = await produceV7(raw, topic, 0, buildRecordBatch({ records: [{ value: 'x' }] }), 2);
      expect(refused.errorCode).toBe(INVALID_REQUIRED_ACKS);
    });

    it('keeps an idempotent kafkajs producer free of duplicates: one producer id, consecutive sequences', async () => {
      const b = broker();
      const topic = await createTopic(b, 'idempotent');
      const producer = b.closeLater(b.kafka().producer({ idempotent: true, maxInFlightRequests: 1 }), (p) =>
        p.disconnect(),
      );
      await producer.connect();
      for (let send = 0; send < 5; send++) {
        await producer.send({
          topic,
          messages: Array.from({ length: 4 }, (_, i) => ({ value: `m-${send * 4 + i}` })),
        });
      }
      const raw = await b.raw();
      const [partition] = await fetchV11(raw, topic, [{ partition: 0, offset: 0 }]);
      const records = partition?.records ?? Buffer.alloc(0);
      const batches = batchProducers(records);
      expect(batches.map((x) => x.baseSequence)).toEqual([0, 4, 8, 12, 16]);
      expect(new Set(batches.map((x) => x.producerId)).size).toBe(1);
      expect(batches[0]?.producerId).toBeGreaterThanOrEqual(0n);
      expect(batchesIn(records).map((x) => x.baseOffset)).toEqual([0, 4, 8, 12, 16]);
    });

    it('answers a retried idempotent batch with its first offset and stores it once; refuses a gap', async () => {
      const b = broker();
      const topic = await createTopic(b, 'retries');
      const raw = await b.raw();
      const { errorCode, producerId, epoch } = await initProducerIdV1(raw);
      expect({ errorCode, epoch }).toEqual({ errorCode: 0, epoch: 0 });
      const batch = (baseSequence: number, n: number) =>
        buildRecordBatch({
          producerId,
          producerEpoch: 0,
          baseSequence,
          records: Array.from({ length: n }, (_, i) => ({ value: `seq-${baseSequence + i}` })),
        });
      const first = batch(0, 3);
      expect(await produceV7(raw, topic, 0, first)).toMatchObject({ errorCode: 0, baseOffset: 0 });
      // The same bytes again: what a producer sends when the first response was lost.
      expect(await produceV7(raw, topic, 0, first)).toMatchObject({ errorCode: 0, baseOffset: 0 });
      expect(await produceV7(raw, topic, 0, batch(3, 2))).toMatchObject({ errorCode: 0, baseOffset: 3 });
      expect((await produceV7(raw, topic, 0, batch(9, 1))).errorCode).toBe(OUT_OF_ORDER_SEQUENCE_NUMBER);
      expect((await listOffsetsV2(raw, topic, 0, -1)).offset).toBe(5);
    });

    it('round-trips a gzip-compressed batch and stores it compressed (codec 1 in the batch attributes)', async () => {
      const b = broker();
      const topic = await createTopic(b, 'gzip');
      const producer = b.closeLater(b.kafka().producer(), (p) => p.disconnect());
      await producer.connect();
      const values = Array.from({ length: 50 }, (_, i) => `compressible value ${i} ${'z'.repeat(200)}`);
      await producer.send({
        topic,
        compression: CompressionTypes.GZIP,
        messages: values.map((value, i) => ({ key: `k${i}`, value, headers: { n: String(i) } })),
      });
      const got = await consume(b, topic, values.length);
      expect(got.map((m) => m.value)).toEqual(values);
      expect(got.map((m) => m.headers.n)).toEqual(values.map((_, i) => [hex(String(i))]));
      const raw = await b.raw();
      const [partition] = await fetchV11(raw, topic, [{ partition: 0, offset: 0 }]);
      const records = partition?.records ?? Buffer.alloc(0);
      expect(batchesIn(records)).toHaveLength(1);
      expect(records.readInt16BE(21) & 0x7).toBe(1);
    });
  });

  describe('fetch positions and long polling', () => {
    it('answers a fetch past the log end with OFFSET_OUT_OF_RANGE, at the end with no records', async () => {
      const b = broker();
      const topic = await createTopic(b, 'beyond');
      const raw = await b.raw();
      await produceV7(raw, topic, 0, buildRecordBatch({ records: [{ value: 'a' }, { value: 'b' }] }));
      const [past] = await fetchV11(raw, topic, [{ partition: 0, offset: 7 }]);
      expect(past).toMatchObject({ errorCode: OFFSET_OUT_OF_RANGE, records: Buffer.alloc(0) });
      const [atEnd] = await fetchV11(raw, topic, [{ partition: 0, offset: 2 }]);
      expect(atEnd).toMatchObject({ errorCode: 0, highWatermark: 2, records: Buffer.alloc(0) });
    });

    it('resets a kafkajs consumer whose committed offset is past the end to the earliest offset', async () => {
      const b = broker();
      const topic = await createTopic(b, 'reset');
      const producer = b.closeLater(b.kafka().producer(), (p) => p.disconnect());
      await producer.connect();
      await producer.send({ topic, messages: [{ value: 'r0' }, { value: 'r1' }, { value: 'r2' }] });
      const admin = await connectedAdmin(b);
      const groupId = b.name(`reader.${topic}`);
      await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '100' }] });
      const got = await consume(b, topic, 3);
      expect(got.map((m) => [m.offset, m.value])).toEqual([
        [0, 'r0'],
        [1, 'r1'],
        [2, 'r2'],
      ]);
    });

    it('holds an empty fetch for about maxWaitTime, and answers early once a record arrives', async () => {
      const b = broker();
      const topic = await createTopic(b, 'long-poll');
      const raw = await b.raw();
      let started = Date.now();
      const [empty] = await fetchV11(raw, topic, [{ partition: 0, offset: 0 }], {
        maxWaitMs: 1000,
        minBytes: 1,
      });
      const emptyMs = Date.now() - started;
      expect(empty?.records.length).toBe(0);
      expect(emptyMs).toBeGreaterThanOrEqual(900);
      expect(emptyMs).toBeLessThan(2500);

      const producer = await b.raw();
      started = Date.now();
      const pending = fetchV11(raw, topic, [{ partition: 0, offset: 0 }], { maxWaitMs: 8000, minBytes: 1 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await produceV7(producer, topic, 0, buildRecordBatch({ records: [{ value: 'wake up' }] }));
      const [woken] = await pending;
      const wokenMs = Date.now() - started;
      expect(batchesIn(woken?.records ?? Buffer.alloc(0))).toHaveLength(1);
      expect(wokenMs).toBeGreaterThanOrEqual(250);
      expect(wokenMs).toBeLessThan(2500);
    });
  });
}
