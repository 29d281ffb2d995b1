import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createLogger } from '@tandem/platform/observability';
import { createTestDatabase, type TestDatabase } from '@tandem/platform/testing';
import { createReadDataSource, migrateReadDatabase } from '@tandem/read/models';
import { BatchApplier, PROJECTIONS, type IncomingMessage } from '@tandem/read/projections';
import { parseQueryServiceConfig } from '../config';
import { createQueryService } from '../query-service';

/** The query service in-process on a fresh read DB, listening on a free port, with a way to project events into it. */
export interface QueryServiceUnderTest {
  url: string;
  db: DataSource;
  project(messages: IncomingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export async function startQueryService(
  label: string,
  env: Record<string, string> = {},
): Promise<QueryServiceUnderTest> {
  const database: TestDatabase = await createTestDatabase(label);
  const db = createReadDataSource({ url: database.url, poolSize: 2 });
  await db.initialize();
  await migrateReadDatabase(db);
  const appliers = Object.values(PROJECTIONS).map((projection) => new BatchApplier(db, projection));
  const config = parseQueryServiceConfig({ READ_DATABASE_URL: database.url, DB_POOL_SIZE: '4', ...env });
  let app: INestApplication;
  try {
    app = await createQueryService(config, createLogger('query-service', 'silent'));
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await db.destroy();
    await database.drop();
    throw error;
  }
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const started = app;
  return {
    url,
    db,
    project: async (messages) => {
      for (const applier of appliers) {
        const mine = messages.filter((m) => applier.projection.topics.includes(m.topic));
        if (mine.length > 0) await applier.apply(mine);
      }
    },
    close: async () => {
      await started.close();
      await db.destroy();
      await database.drop();
    },
  };
}
