import { type DevBroker, startDevBroker } from '../src';
import { API } from '../src/protocol/api-keys';
import {
  INVALID_REPLICATION_FACTOR,
  INVALID_TOPIC_EXCEPTION,
  OFFSET_OUT_OF_RANGE,
  TOPIC_ALREADY_EXISTS,
  UNKNOWN_TOPIC_OR_PARTITION,
} from '../src/protocol/error-codes';
import { Cleanup } from './helpers/cleanup';
import { LogCapture } from './helpers/log-capture';
import { RawClient } from './helpers/raw-client';
import { buildRecordBatch } from './helpers/record-batch';
import { batchesIn, createTopicV3, fetchV11, listOffsetsV2, metadataV4, produceV7 } from './helpers/requests';

jest.setTimeout(60_000);

describe('protocol behaviour', () => {
  let broker: DevBroker;
  let client: RawClient;
  const logs = new LogCapture();
  const cleanup = new Cleanup();

  beforeAll(async () => {
    broker = await startDevBroker({ port: 0, defaultPartitions: 2, logger: logs.logger });
    client = cleanup.add(await RawClient.connect(broker.port), (c) => c.close());
  });

  afterAll(async () => {
    await cleanup.run();
    await broker.stop();
  });

  async function connect(): Promise<RawClient> {
    return cleanup.add(await RawClient.connect(broker.port), (c) => c.close());
  }

  it('answers ApiVersions v3 (flexible) with min version 0 for every API', async () => {
    const r = await client.request(
      API.ApiVersions,
      3,
      (w) => {
        w.compactString('test-client').compactString('1.0').emptyTaggedFields();
      },
      true,
    );
    expect(r.int16()).toBe(0);
    const apis = r.compactArray((x) => {
      const api = { key: x.int16(), min: x.int16(), max: x.int16() };
      x.taggedFields();
      return api;
    });
    expect(r.int32()).toBe(0);
    r.taggedFields();
    expect(r.remaining()).toBe(0);
    expect(apis.every((a) => a.min === 0)).toBe(true);
    expect(apis).toContainEqual({ key: API.Produce, min: 0, max: 7 });
    expect(apis).toContainEqual({ key: API.Fetch, min: 0, max: 11 });
    expect(apis).toHaveLength(17);
  });

  it('auto-creates named topics only when allowed, advertising 127.0.0.1 and this broker as controller', async () => {
    const refused = await metadataV4(client, ['not-created'], false);
    expect(refused.topics).toEqual([
      { errorCode: UNKNOWN_TOPIC_OR_PARTITION, name: 'not-created', partitions: 0 },
    ]);
    const created = await metadataV4(client, ['auto-made'], true);
    expect(created.topics).toEqual([{ errorCode: 0, name: 'auto-made', partitions: 2 }]);
    expect(created.brokers).toEqual([{ nodeId: created.controllerId, host: '127.0.0.1', port: broker.port }]);
    const invalid = await metadataV4(client, ['bad name!'], true);
    expect(invalid.topics[0]?.errorCode).toBe(INVALID_TOPIC_EXCEPTION);
    // Null asks for all topics, an empty list for none.
    expect((await metadataV4(client, null, true)).topics.map((t) => t.name)).toContain('auto-made');
    expect((await metadataV4(client, [], true)).topics).toEqual([]);
  });

  it('refuses replication factors above 1 and existing topics in CreateTopics', async () => {
    expect((await createTopicV3(client, 'replicated', 1, 3)).errorCode).toBe(INVALID_REPLICATION_FACTOR);
    expect((await createTopicV3(client, 'once', 3)).errorCode).toBe(0);
    expect((await createTopicV3(client, 'once', 3)).errorCode).toBe(TOPIC_ALREADY_EXISTS);
    await logs.waitFor(/refused to create topic "replicated": Replication factor: 3/);
  });

  it('long-polls a fetch until a produce arrives', async () => {
    await createTopicV3(client, 'poll', 1);
    const consumer = await connect();
    const started = Date.now();
    const pending = fetchV11(consumer, 'poll', [{ partition: 0, offset: 0 }], {
      maxWaitMs: 20_000,
      minBytes: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await produceV7(client, 'poll', 0, buildRecordBatch({ records: [{ value: 'wake up' }] }));
    const [partition] = await pending;
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(10_000);
    expect(batchesIn(partition?.records ?? Buffer.alloc(0))).toEqual([
      expect.objectContaining({ baseOffset: 0, count: 1 }),
    ]);
  });

  it('answers an empty fetch after max wait when min bytes never arrive', async () => {
    await createTopicV3(client, 'quiet', 1);
    const started = Date.now();
    const [partition] = await fetchV11(client, 'quiet', [{ partition: 0, offset: 0 }], {
      maxWaitMs: 300,
      minBytes: 1,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(partition).toMatchObject({ errorCode: 0, highWatermark: 0 });
    expect(partition?.records.length).toBe(0);
  });

  it('returns whole batches within the byte limits, but always the first batch (KIP-74)', async () => {
    await createTopicV3(client, 'sizes', 2);
    const big = 'x'.repeat(5000);
    for (let i = 0; i < 3; i++)
      await produceV7(client, 'sizes', 0, buildRecordBatch({ records: [{ value: big }] }));
    await produceV7(client, 'sizes', 1, buildRecordBatch({ records: [{ value: big }] }));
    const [p0, p1] = await fetchV11(
      client,
      'sizes',
      [
        { partition: 0, offset: 0 },
        { partition: 1, offset: 0 },
      ],
      { partitionMaxBytes: 100 },
    );
    // Partition 0 gets its first batch although it exceeds 100 bytes; partition 1, no longer first, gets none.
    expect(batchesIn(p0?.records ?? Buffer.alloc(0)).map((b) => b.baseOffset)).toEqual([0]);
    expect(p1?.records.length).toBe(0);
    // A fetch offset inside the log starts at the batch holding it; the response limit cuts at whole batches.
    const [limited] = await fetchV11(client, 'sizes', [{ partition: 0, offset: 1 }], { maxBytes: 11_000 });
    expect(batchesIn(limited?.records ?? Buffer.alloc(0)).map((b) => b.baseOffset)).toEqual([1, 2]);
  });

  it('answers OFFSET_OUT_OF_RANGE past the log end', async () => {
    const [partition] = await fetchV11(client, 'sizes', [{ partition: 0, offset: 99 }], {
      maxWaitMs: 5000,
      minBytes: 1,
    });
    expect(partition).toMatchObject({ errorCode: OFFSET_OUT_OF_RANGE, highWatermark: 3 });
  });

  it('lists earliest, latest and by-timestamp offsets', async () => {
    await createTopicV3(client, 'times', 1);
    await produceV7(
      client,
      'times',
      0,
      buildRecordBatch({
        baseTimestamp: 1_000_000,
        records: [
          { value: 'a', timestampDelta: 0 },
          { value: 'b', timestampDelta: 100 },
          { value: 'c', timestampDelta: 200 },
        ],
      }),
    );
    await produceV7(
      client,
      'times',
      0,
      buildRecordBatch({ baseTimestamp: 2_000_000, records: [{ value: 'd' }] }),
    );
    expect(await listOffsetsV2(client, 'times', 0, -2)).toMatchObject({ offset: 0 });
    expect(await listOffsetsV2(client, 'times', 0, -1)).toMatchObject({ offset: 4 });
    expect(await listOffsetsV2(client, 'times', 0, 1_000_050)).toMatchObject({
      offset: 1,
      timestamp: 1_000_100,
    });
    expect(await listOffsetsV2(client, 'times', 0, 1_500_000)).toMatchObject({
      offset: 3,
      timestamp: 2_000_000,
    });
    expect(await listOffsetsV2(client, 'times', 0, 3_000_000)).toMatchObject({ offset: -1, timestamp: -1 });
  });

  it('sends no response to acks=0 and keeps answering in request order', async () => {
    await createTopicV3(client, 'fire', 1);
    const c = await connect();
    c.send(API.Produce, 7, (w) => {
      w.nullableString(null).int16(0).int32(1000);
      w.int32(1)
        .string('fire')
        .int32(1)
        .int32(0)
        .bytes(buildRecordBatch({ records: [{ value: 'no ack' }] }));
    });
    expect(await listOffsetsV2(c, 'fire', 0, -1)).toMatchObject({ offset: 1 });
  });

  it('deletes topics, failing a long poll on them with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await createTopicV3(client, 'doomed', 1);
    const consumer = await connect();
    const pending = fetchV11(consumer, 'doomed', [{ partition: 0, offset: 0 }], {
      maxWaitMs: 20_000,
      minBytes: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const r = await client.request(API.DeleteTopics, 1, (w) => w.int32(1).string('doomed').int32(1000));
    r.int32();
    expect(r.array((x) => ({ name: x.string(), errorCode: x.int16() }))).toEqual([
      { name: 'doomed', errorCode: 0 },
    ]);
    const [partition] = await pending;
    expect(partition?.errorCode).toBe(UNKNOWN_TOPIC_OR_PARTITION);
  });
});

describe('memory bound per partition', () => {
  it('keeps everything by default, past the 64 MiB it used to drop beyond, as topics with retention.ms=-1 do', async () => {
    const logs = new LogCapture();
    const broker = await startDevBroker({ port: 0, logger: logs.logger });
    const client = await RawClient.connect(broker.port);
    try {
      await createTopicV3(client, 'unbounded', 1);
      const value = 'u'.repeat(1_000_000);
      for (let i = 0; i < 70; i++) {
        await produceV7(client, 'unbounded', 0, buildRecordBatch({ records: [{ value }] }));
      }
      expect((await listOffsetsV2(client, 'unbounded', 0, -2)).offset).toBe(0);
      expect((await listOffsetsV2(client, 'unbounded', 0, -1)).offset).toBe(70);
      const [first] = await fetchV11(client, 'unbounded', [{ partition: 0, offset: 0 }], { maxBytes: 1 });
      expect(first).toMatchObject({ errorCode: 0, logStartOffset: 0 });
      expect(batchesIn(first?.records ?? Buffer.alloc(0))).toHaveLength(1);
      expect(logs.matching(/DROPPED/)).toEqual([]);
    } finally {
      await client.close();
      await broker.stop();
    }
  });

  it('with an explicit limit and no data dir, drops the oldest batches, advances the log start and logs it', async () => {
    const logs = new LogCapture();
    const broker = await startDevBroker({ port: 0, maxBytesPerPartition: 20_000, logger: logs.logger });
    const client = await RawClient.connect(broker.port);
    try {
      await createTopicV3(client, 'bounded', 1);
      for (let i = 0; i < 50; i++) {
        await produceV7(client, 'bounded', 0, buildRecordBatch({ records: [{ value: 'y'.repeat(1000) }] }));
      }
      const earliest = (await listOffsetsV2(client, 'bounded', 0, -2)).offset;
      expect(earliest).toBeGreaterThan(25);
      expect((await listOffsetsV2(client, 'bounded', 0, -1)).offset).toBe(50);
      const [gone] = await fetchV11(client, 'bounded', [{ partition: 0, offset: 0 }]);
      expect(gone).toMatchObject({ errorCode: OFFSET_OUT_OF_RANGE, logStartOffset: earliest });
      const [kept] = await fetchV11(client, 'bounded', [{ partition: 0, offset: earliest }]);
      expect(batchesIn(kept?.records ?? Buffer.alloc(0))).toHaveLength(50 - earliest);
      expect(
        logs.matching(/DROPPED records 0\.\.\d+ of bounded-0: more than maxBytesPerPartition=20000/),
      ).toHaveLength(1);
    } finally {
      await client.close();
      await broker.stop();
    }
  });
});
