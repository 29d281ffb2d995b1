import { z } from 'zod';
import type { EventDefinition } from '../event-definition';
import { EVENT_CATALOG, SUPERSEDED_EVENTS, type ConsumedEvent } from './event-catalog';

/**
 * Every event version Tandem publishes on Kafka: the current version of each event (`EVENT_CATALOG`) and, during
 * its deprecation window, any older major version still published beside it (`SUPERSEDED_EVENTS`, on a deprecated
 * topic). The JSON Schemas, the AsyncAPI document, the compatibility gate (`npm run contracts:check`) and the
 * consumer package's decoder all read this list, so a version added here appears in all of them.
 */
export const PUBLISHED_EVENTS: readonly EventDefinition[] = [
  ...Object.values(EVENT_CATALOG),
  ...SUPERSEDED_EVENTS,
];

const byCloudEventType = new Map(PUBLISHED_EVENTS.map((d) => [d.type, d]));

/**
 * Each definition's schema as `parseEvent` runs it: compiled by zod (`z.compile`), on first use, unless zod is told
 * not to generate code (`jitless`). A payload the compiled schema accepts is read by generated code, several times
 * cheaper than zod's own parser; any other payload is handed to that parser, so a refusal carries the same issues.
 */
const checkedSchemas = new Map<string, z.ZodType>();

function checkedSchema(definition: EventDefinition): z.ZodType {
  let schema = checkedSchemas.get(definition.type);
  if (schema === undefined) {
    // The contracts package allows any zod 4.6: one without `compile` runs the parser alone.
    const compile = (z as { compile?: typeof z.compile }).compile;
    schema = z.config().jitless || !compile ? definition.schema : compile(definition.schema);
    checkedSchemas.set(definition.type, schema);
  }
  return schema;
}

/** The definition of one released version of an event, if it exists. */
export function definitionOfVersion(name: string, version: number): EventDefinition | undefined {
  return byCloudEventType.get(`tandem.orders.${name}.v${version}`);
}

/** The definition of a released version by its CloudEvents type (`tandem.orders.OrderLineAdded.v1`), if any. */
export function definitionOfType(cloudEventType: string): EventDefinition | undefined {
  return byCloudEventType.get(cloudEventType);
}

export type ParsedEvent =
  | { ok: true; event: ConsumedEvent; definition: EventDefinition }
  | { ok: false; reason: 'unknown-type' | 'unknown-version' | 'invalid-payload'; message: string };

/**
 * Validates a payload against the schema named by its CloudEvents type, any released version of it. A consumer
 * treats every `ok: false` as a poison message: retrying cannot fix it.
 */
export function parseEvent(cloudEventType: string, payload: unknown): ParsedEvent {
  const definition = byCloudEventType.get(cloudEventType);
  if (!definition) {
    const match = /^tandem\.orders\.([A-Za-z]+)\.v(\d+)$/.exec(cloudEventType);
    if (match && match[1] in EVENT_CATALOG) {
      const known = PUBLISHED_EVENTS.filter((d) => d.name === match[1]).map((d) => `v${d.version}`);
      return {
        ok: false,
        reason: 'unknown-version',
        message: `event ${match[1]} has major version ${match[2]}, this consumer understands only ${known.sort().join(', ')}`,
      };
    }
    return { ok: false, reason: 'unknown-type', message: `unknown event type "${cloudEventType}"` };
  }
  const result = checkedSchema(definition).safeParse(payload);
  if (!result.success) return invalidPayload(definition, result.error.issues);
  return { ok: true, definition, event: { type: definition.name, data: result.data } as ConsumedEvent };
}

/** The refusal of a payload its event's schema did not accept: every issue, with its path. */
export function invalidPayload(
  definition: EventDefinition,
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): Extract<ParsedEvent, { ok: false }> {
  const detail = issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');
  return {
    ok: false,
    reason: 'invalid-payload',
    message: `${definition.name}.v${definition.version} payload is invalid: ${detail}`,
  };
}
