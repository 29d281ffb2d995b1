import type { Producer } from 'kafkajs';
import { deadLetterTopic, type TopicNames } from '@tandem/platform/kafka';
import type { IncomingMessage } from '../runtime/incoming-message';
import type { DeadLetterRecord } from './dead-letters';

/**
 * Publishes dead letters to their topics' dead-letter topics: the original key, value and headers, plus `dlq_*`
 * headers saying which projection gave up on the message, why, and where it came from.
 */
export async function publishDeadLetters(
  producer: Producer,
  topics: TopicNames,
  letters: DeadLetterRecord[],
): Promise<void> {
  // A group can hold batches of several topics (customer-orders reads two): each letter goes to its own topic's DLQ.
  const byTopic = new Map<string, DeadLetterRecord[]>();
  for (const letter of letters) {
    const topic = topics.onCluster(deadLetterTopic(letter.message.topic));
    const ofTopic = byTopic.get(topic) ?? [];
    ofTopic.push(letter);
    byTopic.set(topic, ofTopic);
  }
  await producer.sendBatch({
    topicMessages: [...byTopic].map(([topic, mine]) => ({
      topic,
      messages: mine.map((letter) => ({
        key: letter.message.key,
        value: letter.message.value,
        headers: {
          ...stringHeaders(letter.message.headers),
          dlq_projection: letter.projection,
          dlq_reason: letter.reason,
          dlq_error: letter.error.slice(0, 2000),
          dlq_source_topic: topics.onCluster(letter.message.topic),
          dlq_source_partition: String(letter.message.partition),
          dlq_source_offset: letter.message.offset,
          dlq_id: letter.id,
        },
      })),
    })),
  });
}

function stringHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}
