import type { ConsumedEvent, EventEnvelope } from '@tandem/contracts';
import type { ProjectionName } from '@tandem/read/models';

/** What a projection handler may do inside the batch transaction. */
export interface ProjectionContext {
  /** Runs one statement in the batch's transaction; returns the rows it produced (`RETURNING`). */
  query<Row = Record<string, unknown>>(sql: string, params: unknown[]): Promise<Row[]>;
  /**
   * Optional: a statement whose answer the handler does not need, sent in order with what follows it, at the latest
   * in the commit's round trip; its failure fails the batch's transaction as a failing `query` would.
   */
  write?(sql: string, params: unknown[]): void;
  /** The physical name of one of this projection's tables: a rebuild writes to copies of them. */
  table(name: string): string;
}

/** A decoded event as it came, in any released version (OrderLineAdded v1 or v2): the models handle both. */
export interface ProjectedEvent {
  envelope: EventEnvelope;
  event: ConsumedEvent;
}

/**
 * One read model's projection: which topics feed it and how one event changes its tables. Handlers are called
 * once per stream version, in stream order, inside a transaction that also moves the stream's checkpoint, so they
 * need no idempotency of their own. Events they do not care about are simply ignored.
 */
export interface Projection {
  readonly name: ProjectionName;
  readonly topics: readonly string[];
  apply(projected: ProjectedEvent, context: ProjectionContext): Promise<void>;
  /**
   * Optional fast path: the same effect as `apply` for each event in order, in a few statements for the whole batch.
   * Any error sends the batch back through `apply`, one event at a time, so anomalies are handled in one place.
   */
  applyMany?(events: ProjectedEvent[], context: ProjectionContext): Promise<void>;
}

/** Thrown by a handler when the event cannot ever apply (the read model contradicts it): the event is dead-lettered. */
export class ProjectionRejectedEvent extends Error {
  override readonly name = 'ProjectionRejectedEvent';
}
