import type { z } from 'zod';
import type { EventEnvelope } from '../cloudevents/cloud-event-headers';
import type { EventDefinition, PayloadOf } from '../event-definition';
import { tolerantReader } from './tolerant-reader';

/**
 * What an upcast may need that the older version did not carry and that only earlier events of the same stream
 * tell: OrderLineAdded.v1's bare unit price takes the currency of its order's OrderCreated. A consumer that keeps it
 * per key passes it to `decode`; one that does not gets such an event as it was written (see `Upcaster.needs`).
 */
export interface StreamFacts {
  /** The currency of the order (`ce_subject`), from its OrderCreated. */
  readonly orderCurrency?: string;
}

/**
 * Turns the payload of one major version into the next (v1 → v2), for consumers that handle only the newer one.
 * Pure: it gets the validated older payload, its CloudEvents context and the stream facts the caller knows, and
 * returns the newer payload, which the decoder then validates against the newer schema.
 */
export interface Upcaster<
  From extends EventDefinition = EventDefinition,
  To extends EventDefinition = EventDefinition,
> {
  readonly from: From;
  readonly to: To;
  /**
   * A stream fact it cannot do without. When the caller does not know it, the decoder stops upcasting there and
   * hands the event over at the version reached (its `version` says which): it never guesses.
   */
  readonly needs?: keyof StreamFacts;
  upcast(data: PayloadOf<From>, context: EventEnvelope, stream: StreamFacts): PayloadOf<To>;
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
