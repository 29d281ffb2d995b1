// The read database: its read models (each one definition: table, evolve or change table, queries) and its
// migrations. The migrations also create the projection runtime's bookkeeping tables, which only
// @tandem/read/projections reads and writes (one module per table).
export * from './order-summary/order-summary.read-model';
export * from './order-summary/order-summary.queries';
export * from './customer-orders/customer-orders.read-model';
export * from './customer-orders/customer-orders.queries';
export * from './daily-sales/daily-sales.read-model';
export * from './daily-sales/daily-sales.queries';
export * from './migrations';
export * from './read-data-source';
export * from './read-tables';
export * from './testing/migrated-read-database';
