import type { OrderState } from '@tandem/write/domain';

/** An order as some transaction loaded it: its state folded from the stream, and its events' types in order. */
export interface CachedOrder {
  readonly state: OrderState;
  readonly types: readonly string[];
}

/**
 * The orders this process loaded last, folded (least recently used dropped first). Events are never changed once
 * committed and a load sees only committed ones, so an order's state at version N stays true forever: the next load
 * reads only the events after N (whoever wrote them, on any replica) and folds them on top. The append still checks
 * the version in the database (the unique stream version), so a stale entry can never let a write through; at
 * worst it costs the retry a conflict costs anyway.
 *
 * Memory: `maxOrders` entries, each an order's state (its lines) and its types; 0 turns the cache off.
 */
export class OrderStateCache {
  private readonly orders = new Map<string, CachedOrder>();

  constructor(readonly maxOrders: number) {
    if (!Number.isInteger(maxOrders) || maxOrders < 0)
      throw new Error(`OrderStateCache: maxOrders must be an integer ≥ 0, got ${maxOrders}`);
  }

  get(orderId: string): CachedOrder | undefined {
    const cached = this.orders.get(orderId);
    if (cached === undefined) return undefined;
    // Most recently used last: a Map iterates in insertion order.
    this.orders.delete(orderId);
    this.orders.set(orderId, cached);
    return cached;
  }

  set(orderId: string, order: CachedOrder): void {
    if (this.maxOrders === 0) return;
    const current = this.orders.get(orderId);
    // Two transactions may load the same order at once: the later version wins, never the reverse.
    if (current !== undefined && current.state.version > order.state.version) return;
    this.orders.delete(orderId);
    this.orders.set(orderId, order);
    while (this.orders.size > this.maxOrders) {
      const oldest = this.orders.keys().next().value;
      if (oldest === undefined) break;
      this.orders.delete(oldest);
    }
  }

  get size(): number {
    return this.orders.size;
  }
}

/** No cache: every load reads the whole stream. */
export const NO_ORDER_STATE_CACHE = new OrderStateCache(0);
