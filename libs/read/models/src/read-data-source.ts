import { DataSource } from 'typeorm';
import { keepConnectionErrorsHandled } from '@tandem/platform/sql';
import { READ_MIGRATIONS } from './migrations';

// No entities: each read model is read and written through its definition's declared columns, and the
// bookkeeping tables through the projection runtime's owner modules.
export const READ_ENTITIES = [];

/** A TypeORM data source on the read database. Never synchronizes: the schema changes only through migrations. */
export function createReadDataSource(options: {
  url: string;
  poolSize?: number;
  applicationName?: string;
}): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: READ_ENTITIES,
    migrations: READ_MIGRATIONS,
    migrationsTableName: 'read_migrations',
    synchronize: false,
    migrationsRun: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'tandem-read',
    // A dead server must fail a query quickly so the caller can retry, not hang on connect.
    connectTimeoutMS: 5000,
    extra: { onConnect: keepConnectionErrorsHandled },
  });
}

/** Applies pending read-DB migrations (each in its own transaction) and returns their names. */
export async function migrateReadDatabase(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
