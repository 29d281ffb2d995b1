import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@tandem/platform/testing';
import { createWriteDataSource, migrateWriteDatabase } from '../write-data-source';

/** A migrated, throwaway write database for one test file. */
export interface WriteTestDatabase {
  url: string;
  dataSource: DataSource;
  close(): Promise<void>;
}

export async function createWriteTestDatabase(label: string, poolSize = 10): Promise<WriteTestDatabase> {
  const database: TestDatabase = await createTestDatabase(label);
  const dataSource = createWriteDataSource({ url: database.url, poolSize });
  await dataSource.initialize();
  await migrateWriteDatabase(dataSource);
  return {
    url: database.url,
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
