import { definitionOf, type ConsumedEvent } from '@tandem/contracts';
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
export function projectionOf(
  model: ReadModel<ConsumedEvent> & { readonly name: ProjectionName },
): Projection {
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

/**
 * A projection's consumer group, under the service's prefix: its name and the topics it reads
 * (`order-summary.order-v2`, `customer-orders.customer-v1.order-v2`). The members of one group must subscribe to the
 * same topics: kafkajs's assigners hand every partition of any member's subscription to any member, so a member of
 * the previous release (on `orders.order.v1`) would be given `orders.order.v2` partitions, whose OrderLineAdded.v2 it
 * cannot read. A release that moves a projection to other topics therefore joins a group of its own, derived here so
 * that it cannot be forgotten; both apply into the same tables during the upgrade (partition locks and checkpoints
 * make that safe, partition-locks.ts), and the new group starts from the topic's beginning, skipping what is applied.
 */
export function consumerGroupOf(projection: Pick<Projection, 'name' | 'topics'>): string {
  const tags = projection.topics.map((topic) => topic.replace(/^orders\./, '').replace(/\.v(\d+)$/, '-v$1'));
  return `${projection.name}.${[...tags].sort().join('.')}`;
}
