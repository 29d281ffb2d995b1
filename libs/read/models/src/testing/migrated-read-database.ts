import type { DataSource } from 'typeorm';
import { createTestDatabase } from '@tandem/platform/testing';
import { createReadDataSource, migrateReadDatabase } from '../read-data-source';

/** A fresh read DB for one test file, migrated, with a small pool. */
export interface MigratedReadDatabase {
  dataSource: DataSource;
  /** Closes the pool and drops the database. */
  close(): Promise<void>;
}

export async function openMigratedReadDatabase(label: string, poolSize = 2): Promise<MigratedReadDatabase> {
  const database = await createTestDatabase(label);
  const dataSource = createReadDataSource({ url: database.url, poolSize });
  await dataSource.initialize();
  await migrateReadDatabase(dataSource);
  return {
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    },
  };
}
