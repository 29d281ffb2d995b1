import { itKcat, kcat } from '../../helpers/kcat';
import { batchesIn, fetchV11 } from '../../helpers/requests';
import type { BrokerUnderTest } from '../broker-under-test';
import { connectedAdmin, consume, createTopic, hex } from '../clients';

/** librdkafka's codec names and their ids in a record batch's attributes. */
const CODECS = { gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

/** The compression codec of every batch stored in partition 0 of `topic`. */
async function storedCodecs(b: BrokerUnderTest, topic: string): Promise<number[]> {
  const raw = await b.raw();
  const [partition] = await fetchV11(raw, topic, [{ partition: 0, offset: 0 }]);
  const records = partition?.records ?? Buffer.alloc(0);
  let pos = 0;
  return batchesIn(records).map((batch) => {
    const codec = records.readInt16BE(pos + 21) & 0x7;
    pos += batch.size;
    return codec;
  });
}

export function kcatScenarios(broker: () => BrokerUnderTest): void {
  describe('librdkafka (kcat)', () => {
    itKcat(
      'produces keyed records with headers that a kcat -G group and kafkajs both read back',
      async () => {
        const b = broker();
        const topic = await createTopic(b, 'kcat-records', 3);
        const lines = Array.from({ length: 30 }, (_, i) => `order-${i % 7}|value-${i}`);
        await kcat(
          [
            ...['-b', b.bootstrap, '-P', '-t', topic, '-K', '|'],
            ...['-H', 'ce_type=tandem.orders.OrderPlaced.v1', '-H', 'ce_specversion=1.0'],
            ...['-X', 'enable.idempotence=true'],
          ],
          `${lines.join('\n')}\n`,
        );
        const group = b.name('kcat-group');
        const out = await kcat([
          ...['-b', b.bootstrap, '-G', group, '-X', 'auto.offset.reset=earliest'],
          ...['-X', 'auto.commit.interval.ms=100', '-e', '-q', '-f', '%k|%s|%h\\n', topic],
        ]);
        const read = out.split('\n').filter(Boolean).sort();
        expect(read).toEqual(
          lines.map((l) => `${l}|ce_type=tandem.orders.OrderPlaced.v1,ce_specversion=1.0`).sort(),
        );

        // kcat -G committed where it stopped: the ends of all three partitions.
        const admin = await connectedAdmin(b);
        const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        const ends = await admin.fetchTopicOffsets(topic);
        const byPartition = new Map(committed?.partitions.map((p) => [p.partition, p.offset]));
        expect(ends.map((e) => byPartition.get(e.partition))).toEqual(ends.map((e) => e.high));

        const viaKafkajs = await consume(b, topic, lines.length);
        expect(viaKafkajs.map((m) => `${m.key ?? ''}|${m.value ?? ''}`).sort()).toEqual([...lines].sort());
        expect(viaKafkajs[0]?.headers).toEqual({
          ce_type: [hex('tandem.orders.OrderPlaced.v1')],
          ce_specversion: [hex('1.0')],
        });
        // Keys hash to partitions the same way on both brokers' clients: all records of a key share one.
        const partitionsOfKey = new Map<string, Set<number>>();
        for (const m of viaKafkajs) {
          const set = partitionsOfKey.get(m.key ?? '') ?? new Set<number>();
          partitionsOfKey.set(m.key ?? '', set.add(m.partition));
        }
        expect([...partitionsOfKey.values()].every((s) => s.size === 1)).toBe(true);
      },
    );

    for (const [codec, id] of Object.entries(CODECS)) {
      itKcat(`stores a ${codec} batch as sent and serves it back to kcat`, async () => {
        const b = broker();
        const topic = await createTopic(b, `kcat-${codec}`);
        const values = Array.from({ length: 100 }, (_, i) => `${codec} record ${i} ${'x'.repeat(100)}`);
        await kcat(
          ['-b', b.bootstrap, '-P', '-t', topic, '-z', codec, '-X', 'linger.ms=50'],
          `${values.join('\n')}\n`,
        );
        const out = await kcat(['-b', b.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q']);
        expect(out.split('\n').filter(Boolean)).toEqual(values);
        const codecs = await storedCodecs(b, topic);
        expect(codecs.length).toBeGreaterThan(0);
        expect(new Set(codecs)).toEqual(new Set([id]));
      });
    }
  });
}
