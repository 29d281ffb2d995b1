import { z } from 'zod';
import type { EventDefinition } from './event-definition';
import { TOPIC_EVENTS } from './events/event-catalog';
import { PUBLISHED_EVENTS } from './events/published-events';
import { EVENT_TOPICS } from './topics';

/**
 * The JSON Schema of one event payload (draft 2020-12 by default; AsyncAPI takes draft-07). Its `x-kafka-topic` is
 * the topic the version was released on (a released file never changes); every topic that carries it now is in
 * `TOPIC_EVENTS` and the AsyncAPI document.
 */
export function eventJsonSchema(
  definition: EventDefinition,
  target: 'draft-2020-12' | 'draft-7' = 'draft-2020-12',
): Record<string, unknown> {
  return {
    $id: `urn:tandem:event:${definition.type}`,
    title: definition.name,
    description: definition.description,
    'x-kafka-topic': releasedOn(definition),
    ...z.toJSONSchema(definition.schema, { target }),
  };
}

/**
 * The JSON Schema (draft 2020-12) of every published event payload, keyed by CloudEvents type, for other teams: the
 * current versions and the superseded ones still published on a deprecated topic.
 */
export function eventJsonSchemas(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    PUBLISHED_EVENTS.map((definition) => [definition.type, eventJsonSchema(definition)]),
  );
}

/**
 * The first topic that carried a version: `orders.order.v1` for every v1 order event, `orders.order.v2` for v2. A
 * definition on no declared topic (a test's fixture) is on its own `topic`.
 */
function releasedOn(definition: EventDefinition): string {
  const topic = EVENT_TOPICS.find((t) => TOPIC_EVENTS[t].includes(definition));
  return topic ?? definition.topic;
}
