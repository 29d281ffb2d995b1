/** The read-model tables each projection owns; a rebuild fills copies of exactly these and swaps them in. */
export const READ_MODEL_TABLES = {
  'order-summary': ['order_summary'],
  'customer-orders': ['customer_orders'],
  'daily-sales': ['daily_sales'],
} as const;

export type ProjectionName = keyof typeof READ_MODEL_TABLES;
export const PROJECTION_NAMES = Object.keys(READ_MODEL_TABLES) as ProjectionName[];

/** Well-known names: reads ask the projection that owns the model they serve. */
export const ORDER_SUMMARY_PROJECTION = 'order-summary' satisfies ProjectionName;
export const CUSTOMER_ORDERS_PROJECTION = 'customer-orders' satisfies ProjectionName;
export const DAILY_SALES_PROJECTION = 'daily-sales' satisfies ProjectionName;
