// The read database: its read models (each one definition: table, evolve or change table, queries), its migrations,
// and the projection runtime's bookkeeping entities.
export * from './order-summary/order-summary.read-model';
export * from './order-summary/order-summary.queries';
export * from './customer-orders/customer-orders.read-model';
export * from './customer-orders/customer-orders.queries';
export * from './daily-sales/daily-sales.read-model';
export * from './daily-sales/daily-sales.queries';
export * from './entities/projection-checkpoint.entity';
export * from './entities/projection-status.entity';
export * from './entities/dead-letter.entity';
export * from './migrations';
export * from './read-data-source';
export * from './read-tables';
export * from './queries/projection-progress.queries';
