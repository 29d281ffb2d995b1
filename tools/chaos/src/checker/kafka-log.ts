import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/** One record of a topic as the checker reads it: no decoding beyond the bytes. */
export interface LoggedRecord {
  partition: number;
  offset: number;
  key: string;
  headers: Record<string, string>;
  value: string;
}

/**
 * Reads a topic whole, from offset 0 up to the end it had when the read began, with a consumer group of its own
 * (deleted afterwards): the independent checker's view of what Kafka holds.
 */
export async function readTopic(bootstrap: string, topic: string): Promise<LoggedRecord[]> {
  const kafka = new Kafka({ clientId: 'chaos-checker', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<number, number>();
    for (const p of await admin.fetchTopicOffsets(topic))
      if (Number(p.high) > 0) ends.set(p.partition, Number(p.high));
    const records: LoggedRecord[] = [];
    if (ends.size === 0) return records;
    const groupId = `chaos-checker-${randomUUID()}`;
    const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 4 * 1024 * 1024 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic} took over 120 s`)), 120_000);
        consumer
          .run({
            eachBatch: async ({ batch }) => {
              const end = ends.get(batch.partition);
              for (const m of batch.messages) {
                const offset = Number(m.offset);
                if (end === undefined || offset >= end) continue;
                const headers: Record<string, string> = {};
                for (const [name, value] of Object.entries(m.headers ?? {})) {
                  headers[name] = String(Array.isArray(value) ? value[0] : value);
                }
                records.push({
                  partition: batch.partition,
                  offset,
                  key: m.key?.toString() ?? '',
                  headers,
                  value: m.value?.toString() ?? '',
                });
                if (offset + 1 >= end) ends.delete(batch.partition);
              }
              if (ends.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  } finally {
    await admin.disconnect();
  }
}
