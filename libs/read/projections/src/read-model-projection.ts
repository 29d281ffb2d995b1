import { definitionOf, type TandemEvent } from '@tandem/contracts';
import {
  applyReadModel,
  handledTypes,
  ReadModelRejectedEvent,
  type ReadModel,
} from '@tandem/platform/read-model';
import type { ProjectionName } from '@tandem/read/models';
import {
  ProjectionRejectedEvent,
  type ProjectedEvent,
  type Projection,
  type ProjectionContext,
} from './runtime/projection';

/**
 * The runtime's view of a read model: its topics are those of the events it reads (from the contracts' catalog),
 * and every path applies events through the model's one derivation, `applyReadModel`: the per-event path (and the
 * event-by-event replay that isolates a failure) as a batch of one, the batch and continuing paths as the whole
 * batch. A model's rejection is the runtime's, with the same message: the event is dead-lettered.
 */
export function projectionOf(model: ReadModel<TandemEvent> & { readonly name: ProjectionName }): Projection {
  const topics = [...new Set(handledTypes(model).map((type) => definitionOf(type).topic))];
  const applyMany = async (events: ProjectedEvent[], context: ProjectionContext): Promise<void> => {
    try {
      await applyReadModel(model, events, context);
    } catch (error) {
      if (error instanceof ReadModelRejectedEvent) throw new ProjectionRejectedEvent(error.message);
      throw error;
    }
  };
  return {
    name: model.name,
    topics,
    apply: (event, context) => applyMany([event], context),
    applyMany,
  };
}
