/** Place a draft order. The handler loads the order's customer and passes its current credit limit. */
export interface PlaceOrder {
  readonly type: 'PlaceOrder';
  readonly orderId: string;
  /** Minor units, in the customer's currency, which is the order's. */
  readonly customerCreditLimit: number;
}
