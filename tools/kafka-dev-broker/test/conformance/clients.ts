// Small client steps the conformance scenarios share: make a topic, read a topic to a count with a group.
import type { Admin, KafkaMessage } from 'kafkajs';
import type { BrokerUnderTest } from './broker-under-test';

export interface Received {
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  timestamp: number;
  headers: Record<string, string[]>;
}

export async function connectedAdmin(broker: BrokerUnderTest): Promise<Admin> {
  const admin = broker.closeLater(broker.kafka().admin(), (a) => a.disconnect());
  await admin.connect();
  return admin;
}

export async function createTopic(broker: BrokerUnderTest, base: string, numPartitions = 1): Promise<string> {
  const topic = broker.name(base);
  const admin = await connectedAdmin(broker);
  await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  return topic;
}

function headersOf(message: KafkaMessage): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    out[name] = values.map((v) => (v === undefined ? '' : Buffer.from(v).toString('hex')));
  }
  return out;
}

/** Group-consumes `topic` from the beginning until `count` messages arrived (or times out), then leaves. */
export async function consume(
  broker: BrokerUnderTest,
  topic: string,
  count: number,
  groupBase = 'reader',
  timeoutMs = 30_000,
): Promise<Received[]> {
  const consumer = broker
    .kafka()
    .consumer({ groupId: broker.name(`${groupBase}.${topic}`), maxWaitTimeInMs: 100 });
  await consumer.connect();
  const received: Received[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`got ${received.length} of ${count} messages from ${topic}`)),
        timeoutMs,
      );
      void consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            received.push({
              partition,
              offset: Number(message.offset),
              key: message.key === null ? null : message.key.toString(),
              value: message.value === null ? null : message.value.toString(),
              timestamp: Number(message.timestamp),
              headers: headersOf(message),
            });
            if (received.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

export const hex = (text: string): string => Buffer.from(text).toString('hex');
