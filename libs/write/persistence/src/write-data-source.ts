import { DataSource } from 'typeorm';
import { keepConnectionErrorsHandled } from '@tandem/platform/sql';
import { WRITE_MIGRATIONS } from './migrations';

/**
 * A TypeORM data source on the write database. The write side speaks SQL through it (no entities: the event store
 * and the outbox are append-only tables whose statements are the point). Never synchronizes.
 */
export function createWriteDataSource(options: {
  url: string;
  poolSize?: number;
  applicationName?: string;
}): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: [],
    migrations: WRITE_MIGRATIONS,
    migrationsTableName: 'write_migrations',
    synchronize: false,
    migrationsRun: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'tandem-write',
    connectTimeoutMS: 5000,
    // Commands rely on READ COMMITTED (a blocked idempotency-key insert sees the winner's row once it commits).
    // Set once per connection, so that a transaction begins in one round trip whatever the server's default.
    extra: {
      options: '-c default_transaction_isolation=read\\ committed',
      onConnect: keepConnectionErrorsHandled,
    },
  });
}

/** Applies pending write-DB migrations (each in its own transaction) and returns their names. */
export async function migrateWriteDatabase(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
