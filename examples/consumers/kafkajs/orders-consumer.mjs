// Another team's consumer of Tandem's order events on kafkajs and @tandem/contracts: a consumer group that reads the
// topic from its beginning, decodes each message (CloudEvents headers, payload validated by its type, upcast to the
// newest version), prints one JSON line per event, dead-letters what it cannot read, and commits after each event.
//   node orders-consumer.mjs <bootstrap> <topic> <groupId>
import { EventDecoder } from '@tandem/contracts';
import kafkajs from 'kafkajs';

const { Kafka, logLevel, Partitioners } = kafkajs;
const [bootstrap, topic, groupId] = process.argv.slice(2);
if (!bootstrap || !topic || !groupId) {
  console.error('usage: node orders-consumer.mjs <bootstrap> <topic> <groupId>');
  process.exit(2);
}

const kafka = new Kafka({ clientId: groupId, brokers: bootstrap.split(','), logLevel: logLevel.WARN });
const consumer = kafka.consumer({ groupId });
const producer = kafka.producer({
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: Partitioners.DefaultPartitioner,
});
const decoder = new EventDecoder();
const deadLetterTopic = `${groupId}.dlq`;

await producer.connect();
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
console.error(`orders-consumer: subscribed to ${topic} as ${groupId}`);
await consumer.run({
  // kafkajs commits the offset of a message after eachMessage resolved: at least once.
  eachMessage: async ({ partition, message }) => {
    const result = decoder.decode(message);
    if (!result.ok) {
      // Retrying cannot fix these: keep the message for a human, and go on.
      await producer.send({
        topic: deadLetterTopic,
        messages: [
          {
            key: message.key,
            value: message.value,
            headers: { ...message.headers, dlq_reason: result.reason },
          },
        ],
      });
      console.log(
        JSON.stringify({
          deadLettered: result.reason,
          partition,
          offset: message.offset,
          error: result.message,
        }),
      );
      return;
    }
    const { type, version, data, context, key, upcastFrom } = result.event;
    console.log(
      JSON.stringify({
        key,
        partition,
        offset: message.offset,
        type,
        version,
        id: context.id,
        streamVersion: context.streamVersion,
        upcastFrom,
        data,
      }),
    );
  },
});

const stop = async () => {
  await consumer.disconnect();
  await producer.disconnect();
  console.error('orders-consumer: closed');
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
