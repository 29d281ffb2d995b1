import { buildRecordBatch } from '../../helpers/record-batch';
import { createTopicV3, fetchV11, listOffsetsV2, metadataV4, produceV7 } from '../../helpers/requests';
import { waitUntil } from '../../helpers/wait';
import { DEFAULT_PARTITIONS, type BrokerUnderTest } from '../broker-under-test';
import { connectedAdmin, createTopic } from '../clients';

const UNKNOWN_TOPIC_OR_PARTITION = 3;
const MESSAGE_TOO_LARGE = 10;
const INVALID_TOPIC_EXCEPTION = 17;
const INVALID_TIMESTAMP = 32;
const UNSUPPORTED_VERSION = 35;
const TOPIC_ALREADY_EXISTS = 36;
const INVALID_PARTITIONS = 37;
const INVALID_REPLICATION_FACTOR = 38;
/** Apache Kafka's message.max.bytes default: 1 MiB plus the record batch overhead. */
const MAX_MESSAGE_BYTES = 1_048_588;

/** An uncompressed batch of one record, exactly `size` bytes long. */
function batchOfSize(size: number): Buffer {
  let valueLength = size - 80;
  for (;;) {
    const batch = buildRecordBatch({ records: [{ value: 'v'.repeat(valueLength) }] });
    if (batch.length === size) return batch;
    valueLength += size - batch.length;
  }
}

export function topicsOffsetsScenarios(broker: () => BrokerUnderTest): void {
  describe('ListOffsets', () => {
    it('answers earliest, latest and the first offset at or after a timestamp', async () => {
      const b = broker();
      const topic = await createTopic(b, 'timestamps');
      const producer = b.closeLater(b.kafka().producer(), (p) => p.disconnect());
      await producer.connect();
      const t0 = Date.now() - 3_600_000;
      await producer.send({
        topic,
        messages: [0, 1000, 2000].map((d, i) => ({ value: `t${i}`, timestamp: String(t0 + d) })),
      });
      const admin = await connectedAdmin(b);
      expect(await admin.fetchTopicOffsets(topic)).toEqual([
        expect.objectContaining({ partition: 0, low: '0', high: '3' }),
      ]);
      expect(await admin.fetchTopicOffsetsByTimestamp(topic, t0 + 500)).toEqual([
        { partition: 0, offset: '1' },
      ]);

      const raw = await b.raw();
      expect(await listOffsetsV2(raw, topic, 0, -2)).toMatchObject({ errorCode: 0, offset: 0 });
      expect(await listOffsetsV2(raw, topic, 0, -1)).toMatchObject({ errorCode: 0, offset: 3 });
      expect(await listOffsetsV2(raw, topic, 0, t0 + 1000)).toMatchObject({
        errorCode: 0,
        timestamp: t0 + 1000,
        offset: 1,
      });
      expect(await listOffsetsV2(raw, topic, 0, t0 - 1)).toMatchObject({
        errorCode: 0,
        timestamp: t0,
        offset: 0,
      });
      // Later than every record: no offset, not the log end.
      expect(await listOffsetsV2(raw, topic, 0, t0 + 5000)).toMatchObject({
        errorCode: 0,
        timestamp: -1,
        offset: -1,
      });
      // -3 (max timestamp, KIP-734) needs ListOffsets v7.
      expect((await listOffsetsV2(raw, topic, 0, -3)).errorCode).toBe(UNSUPPORTED_VERSION);
      expect((await listOffsetsV2(raw, b.name('no-such-topic'), 0, -1)).errorCode).toBe(
        UNKNOWN_TOPIC_OR_PARTITION,
      );
    });
  });

  describe('metadata and topic creation', () => {
    it('advertises one broker at the bootstrap address and auto-creates a named topic only when asked', async () => {
      const b = broker();
      const raw = await b.raw();
      const unasked = b.name('not-auto-created');
      const first = await metadataV4(raw, [unasked], false);
      expect(first.brokers).toEqual([{ nodeId: expect.any(Number), host: b.host, port: b.port }]);
      expect(first.controllerId).toBe(first.brokers[0]?.nodeId);
      expect(first.topics).toEqual([{ errorCode: UNKNOWN_TOPIC_OR_PARTITION, name: unasked, partitions: 0 }]);

      const asked = b.name('auto-created');
      await metadataV4(raw, [asked], true);
      await waitUntil('the auto-created topic', async () => {
        const { topics } = await metadataV4(raw, [asked], false);
        return topics[0]?.errorCode === 0;
      });
      expect((await metadataV4(raw, [asked], false)).topics).toEqual([
        { errorCode: 0, name: asked, partitions: DEFAULT_PARTITIONS },
      ]);
      expect((await metadataV4(raw, [unasked], false)).topics[0]?.errorCode).toBe(UNKNOWN_TOPIC_OR_PARTITION);
      expect((await metadataV4(raw, ['bad name!'], true)).topics[0]?.errorCode).toBe(INVALID_TOPIC_EXCEPTION);
    });

    it('lets a kafkajs producer write to a topic that does not exist yet', async () => {
      const b = broker();
      const topic = b.name('created-by-producer');
      const producer = b.closeLater(b.kafka().producer({ allowAutoTopicCreation: true }), (p) =>
        p.disconnect(),
      );
      await producer.connect();
      const [sent] = await producer.send({ topic, messages: [{ value: 'first' }] });
      expect(sent).toMatchObject({ topicName: topic, errorCode: 0, baseOffset: '0' });
    });

    it('refuses CreateTopics for an existing topic, a non-positive partition count, too many replicas, a bad name', async () => {
      const b = broker();
      const raw = await b.raw();
      const topic = b.name('create-errors');
      expect((await createTopicV3(raw, topic, 2)).errorCode).toBe(0);
      expect((await createTopicV3(raw, topic, 2)).errorCode).toBe(TOPIC_ALREADY_EXISTS);
      expect((await createTopicV3(raw, b.name('zero-partitions'), 0)).errorCode).toBe(INVALID_PARTITIONS);
      expect((await createTopicV3(raw, b.name('three-replicas'), 1, 3)).errorCode).toBe(
        INVALID_REPLICATION_FACTOR,
      );
      expect((await createTopicV3(raw, 'bad name!', 1)).errorCode).toBe(INVALID_TOPIC_EXCEPTION);
      expect((await metadataV4(raw, [topic], false)).topics[0]?.partitions).toBe(2);
      const admin = await connectedAdmin(b);
      // kafkajs treats an existing topic as "not created", not as an error.
      expect(await admin.createTopics({ topics: [{ topic }] })).toBe(false);
    });
  });

  describe('produce limits', () => {
    it('refuses a record stamped more than an hour ahead with INVALID_TIMESTAMP, and accepts an old one', async () => {
      const b = broker();
      const topic = await createTopic(b, 'timestamp-limits');
      const raw = await b.raw();
      const ahead = buildRecordBatch({
        baseTimestamp: Date.now() + 2 * 3_600_000,
        records: [{ value: 'a' }],
      });
      // A refusal on an existing partition carries its log start offset.
      expect(await produceV7(raw, topic, 0, ahead)).toEqual({
        index: 0,
        errorCode: INVALID_TIMESTAMP,
        baseOffset: -1,
        logStartOffset: 0,
      });
      const soon = buildRecordBatch({ baseTimestamp: Date.now() + 60_000, records: [{ value: 's' }] });
      expect(await produceV7(raw, topic, 0, soon)).toMatchObject({ errorCode: 0, baseOffset: 0 });
      const old = buildRecordBatch({
        baseTimestamp: Date.now() - 30 * 86_400_000,
        records: [{ value: 'o' }],
      });
      expect(await produceV7(raw, topic, 0, old)).toMatchObject({ errorCode: 0, baseOffset: 1 });
      expect((await produceV7(raw, topic, 3, old)).errorCode).toBe(UNKNOWN_TOPIC_OR_PARTITION);
      expect((await produceV7(raw, b.name('never-created'), 0, old)).errorCode).toBe(
        UNKNOWN_TOPIC_OR_PARTITION,
      );
    });

    it(`accepts a batch of ${MAX_MESSAGE_BYTES} bytes and refuses one byte more with MESSAGE_TOO_LARGE`, async () => {
      const b = broker();
      const topic = await createTopic(b, 'large');
      const raw = await b.raw();
      expect(await produceV7(raw, topic, 0, batchOfSize(MAX_MESSAGE_BYTES))).toMatchObject({
        errorCode: 0,
        baseOffset: 0,
      });
      expect(await produceV7(raw, topic, 0, batchOfSize(MAX_MESSAGE_BYTES + 1))).toMatchObject({
        errorCode: MESSAGE_TOO_LARGE,
        baseOffset: -1,
      });
      expect((await listOffsetsV2(raw, topic, 0, -1)).offset).toBe(1);
      const [stored] = await fetchV11(raw, topic, [{ partition: 0, offset: 0 }], { partitionMaxBytes: 1024 });
      expect(stored?.records.length).toBe(MAX_MESSAGE_BYTES);
    });

    it('fails a kafkajs send of a 1 MiB value with MESSAGE_TOO_LARGE', async () => {
      const b = broker();
      const topic = await createTopic(b, 'large-kafkajs');
      const producer = b.closeLater(b.kafka().producer({ retry: { retries: 0 } }), (p) => p.disconnect());
      await producer.connect();
      await expect(
        producer.send({ topic, messages: [{ value: Buffer.alloc(1024 * 1024, 1) }] }),
      ).rejects.toMatchObject({ type: 'MESSAGE_TOO_LARGE' });
    });
  });
}
