export type OrderStatus = 'draft' | 'placed' | 'shipped' | 'cancelled';

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  /** Minor units of the order's currency. */
  readonly unitPrice: number;
}

/** An order that exists. `version` counts the events applied, so it is the stream version to append after. */
export interface OrderState {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly currency: string;
  /** In the order the lines were added. */
  readonly lines: readonly OrderLine[];
  /** Sum of quantity × unitPrice over the lines, in minor units. */
  readonly total: number;
  readonly version: number;
}

/** An empty stream: no order yet. `null` rather than a pseudo-status so that every rule must face the case. */
export const initialOrderState: OrderState | null = null;

/** The most lines one order may hold. */
export const MAX_ORDER_LINES = 100;
