import { z } from 'zod';
import type { EventDefinition } from './event-definition';
import { EVENT_VERSIONS, TOPIC_EVENTS } from './events/event-catalog';
import { PUBLISHED_TOPICS } from './topics';

/**
 * The JSON Schema (draft 2020-12) of every released event version's payload, keyed by CloudEvents type, for other
 * teams' consumers: the current versions and the superseded ones still published on a deprecated topic. Its
 * `x-kafka-topic` is the topic the version was released on (a released file never changes); every topic that
 * carries it now is in `TOPIC_EVENTS` and the AsyncAPI document.
 */
export function eventJsonSchemas(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    EVENT_VERSIONS.map((definition) => [
      definition.type,
      {
        $id: `urn:tandem:event:${definition.type}`,
        title: definition.name,
        description: definition.description,
        'x-kafka-topic': releasedOn(definition),
        ...z.toJSONSchema(definition.schema),
      },
    ]),
  );
}

/** The first topic that carried a version: `orders.order.v1` for every v1 order event, `orders.order.v2` for v2. */
function releasedOn(definition: EventDefinition): string {
  const topic = PUBLISHED_TOPICS.find((t) => TOPIC_EVENTS[t].includes(definition));
  if (topic === undefined) throw new Error(`${definition.type} is on no topic`);
  return topic;
}
