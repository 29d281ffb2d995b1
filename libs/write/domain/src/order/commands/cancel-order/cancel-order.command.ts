/** Cancel a draft or placed order, saying why. */
export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly orderId: string;
  readonly reason: string;
}
