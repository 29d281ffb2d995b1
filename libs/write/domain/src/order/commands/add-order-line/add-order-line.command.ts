/** Add a line to a draft order. `unitPrice` is in minor units of the order's currency. */
export interface AddOrderLine {
  readonly type: 'AddOrderLine';
  readonly orderId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}
