import { applyCounterModel } from './apply-counter-model';
import { applyDocumentModel } from './apply-document-model';
import type { ModelEvent, ReadModel, ReadModelContext, TypedEvent } from './read-model';

/**
 * Applies events, in stream order, to a read model in the caller's transaction: the one derivation behind every
 * path that runs a model (per event, per batch, the continuing path, a rebuild, inline in a command).
 */
export function applyReadModel<E extends TypedEvent>(
  model: ReadModel<E>,
  events: readonly ModelEvent<E>[],
  context: ReadModelContext,
): Promise<void> {
  return model.kind === 'document'
    ? applyDocumentModel(model, events, context)
    : applyCounterModel(model, events, context);
}
