import { crc32c } from '../../../src/protocol/crc32c';
import { buildRecordBatch } from '../../helpers/record-batch';
import { metadataV4, produceV7 } from '../../helpers/requests';
import type { BrokerUnderTest } from '../broker-under-test';
import { createTopic } from '../clients';

const UNKNOWN_TOPIC_OR_PARTITION = 3;
const LEADER_NOT_AVAILABLE = 5;

/** Re-signs a batch after its bytes were changed, so only what is inside the CRC can be wrong. */
function resign(batch: Buffer): Buffer {
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeUInt32BE(crc32c(batch, 21), 17);
  return batch;
}

// Deliberate differences, listed in the README's "Differences from Apache Kafka": each test states what each
// broker does, so a change on either side shows up here.
export function differenceScenarios(broker: () => BrokerUnderTest): void {
  describe('deliberate differences', () => {
    it('auto-creation: the dev broker lists the topic in the first Metadata answer, Apache Kafka in a later one', async () => {
      const b = broker();
      const raw = await b.raw();
      const topic = b.name('auto-first-answer');
      const [first] = (await metadataV4(raw, [topic], true)).topics;
      if (b.kind === 'dev') expect(first).toEqual({ errorCode: 0, name: topic, partitions: 1 });
      else expect([UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE]).toContain(first?.errorCode);
    });

    it('records inside a batch with a valid CRC: the dev broker stores them unread, Apache Kafka validates them', async () => {
      const b = broker();
      const topic = await createTopic(b, 'unread-records');
      const raw = await b.raw();
      const plain = buildRecordBatch({ records: [{ value: 'g' }] });
      // Flagged gzip, but the records are not gzip at all.
      const notGzip = Buffer.concat([plain.subarray(0, 61), Buffer.from('not gzip at all')]);
      notGzip.writeInt16BE(1, 21);
      // Says three records, holds two.
      const miscounted = Buffer.from(buildRecordBatch({ records: [{ value: 'a' }, { value: 'b' }] }));
      miscounted.writeInt32BE(3, 57);
      const answers = [
        (await produceV7(raw, topic, 0, resign(notGzip))).errorCode,
        (await produceV7(raw, topic, 0, resign(miscounted))).errorCode,
      ];
      if (b.kind === 'dev') expect(answers).toEqual([0, 0]);
      // UNKNOWN_SERVER_ERROR for the broken gzip stream, INVALID_RECORD for the count.
      else expect(answers).toEqual([-1, 87]);
    });
  });
}
