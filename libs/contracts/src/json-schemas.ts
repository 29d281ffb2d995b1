import { z } from 'zod';
import type { EventDefinition } from './event-definition';
import { PUBLISHED_EVENTS } from './events/published-events';

/** The JSON Schema of one event payload (draft 2020-12 by default; AsyncAPI takes draft-07). */
export function eventJsonSchema(
  definition: EventDefinition,
  target: 'draft-2020-12' | 'draft-7' = 'draft-2020-12',
): Record<string, unknown> {
  return {
    $id: `urn:tandem:event:${definition.type}`,
    title: definition.name,
    description: definition.description,
    'x-kafka-topic': definition.topic,
    ...z.toJSONSchema(definition.schema, { target }),
  };
}

/** The JSON Schema (draft 2020-12) of every published event payload, keyed by CloudEvents type, for other teams. */
export function eventJsonSchemas(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    PUBLISHED_EVENTS.map((definition) => [definition.type, eventJsonSchema(definition)]),
  );
}
