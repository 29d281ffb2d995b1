/** Remove the line for a SKU from a draft order. */
export interface RemoveOrderLine {
  readonly type: 'RemoveOrderLine';
  readonly orderId: string;
  readonly sku: string;
}
