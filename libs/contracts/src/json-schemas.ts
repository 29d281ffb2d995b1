import { z } from 'zod';
import { EVENT_CATALOG } from './events/event-catalog';

/** The JSON Schema (draft 2020-12) of every event payload, keyed by CloudEvents type, for other teams' consumers. */
export function eventJsonSchemas(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.values(EVENT_CATALOG).map((definition) => [
      definition.type,
      {
        $id: `urn:tandem:event:${definition.type}`,
        title: definition.name,
        description: definition.description,
        'x-kafka-topic': definition.topic,
        ...z.toJSONSchema(definition.schema),
      },
    ]),
  );
}
