import { z } from 'zod';
import type { EventTopic } from './topics';

/**
 * One event contract: its name, its major version, the topic it travels on and the zod schema of its payload.
 * The TypeScript type and the JSON Schema both come from the schema, so they cannot drift apart.
 */
export interface EventDefinition<Name extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly name: Name;
  readonly version: number;
  /** CloudEvents `type`: `tandem.orders.<Name>.v<version>`. */
  readonly type: string;
  /**
   * The topic on which this version is its aggregate's current form: `orders.order.v2` for every order event's
   * latest version, the deprecated `orders.order.v1` for a superseded one (OrderLineAdded.v1). Which topics carry a
   * version, the deprecated ones included, is `TOPIC_EVENTS` (events/event-catalog.ts).
   */
  readonly topic: EventTopic;
  readonly schema: Schema;
  readonly description: string;
}

export function defineEvent<Name extends string, Schema extends z.ZodType>(spec: {
  name: Name;
  version: number;
  topic: EventTopic;
  schema: Schema;
  description: string;
}): EventDefinition<Name, Schema> {
  return { ...spec, type: `tandem.orders.${spec.name}.v${spec.version}` };
}

export type PayloadOf<D> = D extends EventDefinition<string, infer S> ? z.infer<S> : never;
