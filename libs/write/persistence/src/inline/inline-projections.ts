import {
  definitionOf,
  ORDER_TOPIC,
  type EventDefinition,
  type ConsumedEvent,
  type TandemEventName,
} from '@tandem/contracts';
import { handledTypes, type ReadModel } from '@tandem/platform/read-model';

/** A model over any event version; the write side gives it events at their latest (upcast on load). */
export type InlineModel = ReadModel<ConsumedEvent>;

/**
 * The read models this command service applies inline: in the transaction of each command whose events they read,
 * on the write DB. Only order events qualify: they are kept in the event store, from which a model is filled and
 * rebuilt; customer events live only in the outbox (the customer is state-stored).
 */
export class InlineProjections {
  readonly models: readonly InlineModel[];

  constructor(models: readonly InlineModel[]) {
    const names = new Set<string>();
    const tables = new Set<string>();
    for (const model of models) {
      if (names.has(model.name)) throw new Error(`inline model ${model.name} is registered twice`);
      if (tables.has(model.table))
        throw new Error(`inline model ${model.name}: table ${model.table} is taken`);
      names.add(model.name);
      tables.add(model.table);
      for (const type of handledTypes(model)) {
        const definition: EventDefinition | undefined = definitionOf(type as TandemEventName);
        if (definition?.topic !== ORDER_TOPIC) {
          throw new Error(
            `inline model ${model.name} reads ${type}, which the event store does not keep: an inline model ` +
              'reads order events only, so that it can be filled and rebuilt from the events table',
          );
        }
      }
    }
    this.models = models;
  }

  /** The models that read any of these event types: the ones a command writing them must apply. */
  reading(types: readonly string[]): InlineModel[] {
    return this.models.filter((model) => handledTypes(model).some((type) => types.includes(type)));
  }

  named(name: string): InlineModel {
    const model = this.models.find((m) => m.name === name);
    if (!model) throw new Error(`no inline model ${name} is registered`);
    return model;
  }
}

/** No model inline: every command writes its events and outbox rows only. */
export const NO_INLINE_PROJECTIONS = new InlineProjections([]);
