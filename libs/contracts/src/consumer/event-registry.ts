import type { z } from 'zod';
import type { EventEnvelope } from '../cloudevents/cloud-event-headers';
import type { EventDefinition, PayloadOf } from '../event-definition';
import { tolerantReader } from './tolerant-reader';

/**
 * Turns the payload of one major version into the next (v1 → v2), for consumers that handle only the newer one.
 * Pure: it gets the validated older payload and its CloudEvents context, and returns the newer payload, which the
 * decoder then validates against the newer schema.
 */
export interface Upcaster<
  From extends EventDefinition = EventDefinition,
  To extends EventDefinition = EventDefinition,
> {
  readonly from: From;
  readonly to: To;
  upcast(data: PayloadOf<From>, context: EventEnvelope): PayloadOf<To>;
}

export function defineUpcaster<From extends EventDefinition, To extends EventDefinition>(
  upcaster: Upcaster<From, To>,
): Upcaster<From, To> {
  if (upcaster.from.name !== upcaster.to.name || upcaster.to.version <= upcaster.from.version) {
    throw new Error(
      `an upcaster goes from one version of an event to a later one of the same event, not ${upcaster.from.type} → ${upcaster.to.type}`,
    );
  }
  return upcaster;
}

/**
 * The event versions a consumer knows and the upcasters between them: what the decoder dispatches on. The default
 * registry (`createEventRegistry()`) holds every version Tandem publishes and every upcaster it ships; a consumer
 * may register its own (an upcaster to a version it defines, a version it reads from a test).
 */
export class EventRegistry {
  private readonly definitions = new Map<string, EventDefinition>();
  private readonly readers = new Map<string, z.ZodType>();
  private readonly upcasters = new Map<string, Upcaster>();

  constructor(definitions: readonly EventDefinition[] = [], upcasters: readonly Upcaster[] = []) {
    for (const definition of definitions) this.register(definition);
    for (const upcaster of upcasters) this.registerUpcaster(upcaster);
  }

  register(definition: EventDefinition): this {
    const known = this.definitions.get(definition.type);
    if (known && known !== definition) throw new Error(`${definition.type} is registered twice`);
    this.definitions.set(definition.type, definition);
    this.readers.set(definition.type, tolerantReader(definition.schema));
    return this;
  }

  registerUpcaster<From extends EventDefinition, To extends EventDefinition>(
    upcaster: Upcaster<From, To>,
  ): this {
    defineUpcaster(upcaster);
    if (this.upcasters.has(upcaster.from.type))
      throw new Error(`${upcaster.from.type} already has an upcaster`);
    this.register(upcaster.from).register(upcaster.to);
    this.upcasters.set(upcaster.from.type, upcaster as unknown as Upcaster);
    return this;
  }

  definition(type: string): EventDefinition | undefined {
    return this.definitions.get(type);
  }

  /** The schema to read `type` with: tolerant (unknown properties ignored) unless `strict`. */
  reader(type: string, strict = false): z.ZodType | undefined {
    return strict ? this.definitions.get(type)?.schema : this.readers.get(type);
  }

  upcasterFrom(type: string): Upcaster | undefined {
    return this.upcasters.get(type);
  }

  /** The major versions registered for an event name, ascending. */
  versionsOf(name: string): number[] {
    return [...this.definitions.values()]
      .filter((d) => d.name === name)
      .map((d) => d.version)
      .sort((a, b) => a - b);
  }
}
