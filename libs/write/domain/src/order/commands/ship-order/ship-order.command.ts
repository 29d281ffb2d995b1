/** Ship a placed order. */
export interface ShipOrder {
  readonly type: 'ShipOrder';
  readonly orderId: string;
}
