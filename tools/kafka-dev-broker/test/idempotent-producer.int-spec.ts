import { type DevBroker, startDevBroker } from '../src';
import {
  CORRUPT_MESSAGE,
  INVALID_PRODUCER_EPOCH,
  OUT_OF_ORDER_SEQUENCE_NUMBER,
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
} from '../src/protocol/error-codes';
import { Cleanup } from './helpers/cleanup';
import { LogCapture } from './helpers/log-capture';
import { RawClient } from './helpers/raw-client';
import { buildRecordBatch } from './helpers/record-batch';
import {
  batchesIn,
  createTopicV3,
  fetchV11,
  initProducerIdV1,
  listOffsetsV2,
  produceV7,
} from './helpers/requests';

jest.setTimeout(60_000);

const TOPIC = 'payments';

function records(n: number, tag: string): Array<{ value: string }> {
  return Array.from({ length: n }, (_, i) => ({ value: `${tag}-${i}` }));
}

describe('idempotent producer at the protocol level', () => {
  let broker: DevBroker;
  let client: RawClient;
  const logs = new LogCapture();
  const cleanup = new Cleanup();

  beforeAll(async () => {
    broker = await startDevBroker({ port: 0, logger: logs.logger });
    client = cleanup.add(await RawClient.connect(broker.port), (c) => c.close());
    expect((await createTopicV3(client, TOPIC, 1)).errorCode).toBe(0);
  });

  afterAll(async () => {
    await cleanup.run();
    await broker.stop();
  });

  async function storedRecords(): Promise<number> {
    const [partition] = await fetchV11(client, TOPIC, [{ partition: 0, offset: 0 }]);
    return batchesIn(partition?.records ?? Buffer.alloc(0)).reduce((sum, b) => sum + b.count, 0);
  }

  it('stores a repeated produce request once, answering the retry with the original offset', async () => {
    const { errorCode, producerId, epoch } = await initProducerIdV1(client);
    expect(errorCode).toBe(0);
    expect(producerId).toBeGreaterThanOrEqual(0n);
    expect(epoch).toBe(0);

    const first = buildRecordBatch({
      producerId,
      producerEpoch: 0,
      baseSequence: 0,
      records: records(3, 'a'),
    });
    expect(await produceV7(client, TOPIC, 0, first)).toMatchObject({ errorCode: 0, baseOffset: 0 });
    // The same bytes again, as a client sends them when the first response was lost.
    expect(await produceV7(client, TOPIC, 0, first)).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(await storedRecords()).toBe(3);

    const second = buildRecordBatch({
      producerId,
      producerEpoch: 0,
      baseSequence: 3,
      records: records(2, 'b'),
    });
    expect(await produceV7(client, TOPIC, 0, second)).toMatchObject({ errorCode: 0, baseOffset: 3 });
    // An older batch than the last one, still among the five remembered, is a duplicate too.
    expect(await produceV7(client, TOPIC, 0, first)).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(await storedRecords()).toBe(5);
    expect((await listOffsetsV2(client, TOPIC, 0, -1)).offset).toBe(5);
  });

  it('refuses a sequence gap with OUT_OF_ORDER_SEQUENCE_NUMBER and an old epoch with INVALID_PRODUCER_EPOCH', async () => {
    const { producerId } = await initProducerIdV1(client);
    const start = (await listOffsetsV2(client, TOPIC, 0, -1)).offset;
    const ok = buildRecordBatch({ producerId, producerEpoch: 0, baseSequence: 0, records: records(2, 'c') });
    expect(await produceV7(client, TOPIC, 0, ok)).toMatchObject({ errorCode: 0, baseOffset: start });

    const gap = buildRecordBatch({
      producerId,
      producerEpoch: 0,
      baseSequence: 5,
      records: records(1, 'gap'),
    });
    expect(await produceV7(client, TOPIC, 0, gap)).toMatchObject({
      errorCode: OUT_OF_ORDER_SEQUENCE_NUMBER,
      baseOffset: -1,
    });
    await logs.waitFor(/refused produce: payments-0: producer \d+ sent sequence 5, expected 2 \(error 45\)/);

    // A new epoch starts again at sequence 0; afterwards the old epoch is fenced.
    const bumped = buildRecordBatch({
      producerId,
      producerEpoch: 1,
      baseSequence: 0,
      records: records(1, 'e1'),
    });
    expect(await produceV7(client, TOPIC, 0, bumped)).toMatchObject({ errorCode: 0, baseOffset: start + 2 });
    const stale = buildRecordBatch({
      producerId,
      producerEpoch: 0,
      baseSequence: 2,
      records: records(1, 'old'),
    });
    expect(await produceV7(client, TOPIC, 0, stale)).toMatchObject({ errorCode: INVALID_PRODUCER_EPOCH });

    expect((await listOffsetsV2(client, TOPIC, 0, -1)).offset).toBe(start + 3);
  });

  it('wraps sequence numbers at INT32_MAX', async () => {
    const { producerId } = await initProducerIdV1(client);
    const nearMax = buildRecordBatch({
      producerId,
      producerEpoch: 0,
      baseSequence: 0x7fff_fffe,
      records: records(2, 'max'),
    });
    expect((await produceV7(client, TOPIC, 0, nearMax)).errorCode).toBe(0);
    const wrapped = buildRecordBatch({
      producerId,
      producerEpoch: 0,
      baseSequence: 0,
      records: records(1, 'wrap'),
    });
    expect((await produceV7(client, TOPIC, 0, wrapped)).errorCode).toBe(0);
    expect((await produceV7(client, TOPIC, 0, wrapped)).errorCode).toBe(0);
    const before = (await listOffsetsV2(client, TOPIC, 0, -1)).offset;
    const next = buildRecordBatch({
      producerId,
      producerEpoch: 0,
      baseSequence: 1,
      records: records(1, 'next'),
    });
    expect(await produceV7(client, TOPIC, 0, next)).toMatchObject({ errorCode: 0, baseOffset: before });
  });

  it('without a producer id, the same batch twice is two writes', async () => {
    const before = (await listOffsetsV2(client, TOPIC, 0, -1)).offset;
    const plain = buildRecordBatch({ records: records(2, 'plain') });
    await produceV7(client, TOPIC, 0, plain);
    await produceV7(client, TOPIC, 0, plain);
    expect((await listOffsetsV2(client, TOPIC, 0, -1)).offset).toBe(before + 4);
  });

  it('refuses a batch whose CRC does not match with CORRUPT_MESSAGE and stores nothing', async () => {
    const before = (await listOffsetsV2(client, TOPIC, 0, -1)).offset;
    const batch = buildRecordBatch({ records: records(1, 'corrupt') });
    batch[batch.length - 2] ^= 0xff;
    expect(await produceV7(client, TOPIC, 0, batch)).toMatchObject({
      errorCode: CORRUPT_MESSAGE,
      baseOffset: -1,
    });
    await logs.waitFor(/refused produce: payments-0: CRC-32C mismatch/);
    expect((await listOffsetsV2(client, TOPIC, 0, -1)).offset).toBe(before);
  });

  it('refuses a transactional producer id request with error 53', async () => {
    expect((await initProducerIdV1(client, 'tx-1')).errorCode).toBe(TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  });
});
