// The read database: its entities, its migrations, and the queries the query service runs against it. The
// migrations also create the projection runtime's bookkeeping tables, which only @tandem/read/projections reads and
// writes (one module per table).
export * from './entities/order-summary.entity';
export * from './entities/customer-orders.entity';
export * from './entities/daily-sales.entity';
export * from './migrations';
export * from './read-data-source';
export * from './read-tables';
export * from './queries/order-summary.queries';
export * from './queries/customer-orders.queries';
export * from './queries/daily-sales.queries';
