import type { OrderEvent } from '@tandem/contracts';
import type { OrderState } from '@tandem/write/domain';

/** The Order event store as a command handler sees it, bound to one transaction. */
export interface OrderStore {
  /** The order folded from its events, or `null` when its stream is empty. */
  load(orderId: string): Promise<OrderState | null>;
  /**
   * Appends events after `expectedVersion` (0 for a new stream) and enqueues them in the outbox, in the same
   * transaction. A concurrent writer that got there first makes the transaction fail and be retried on the new
   * state. Returns the stream's new version.
   */
  append(orderId: string, expectedVersion: number, events: readonly OrderEvent[]): Promise<number>;
}
