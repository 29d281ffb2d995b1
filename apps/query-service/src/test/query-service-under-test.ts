import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ConsistencyTokens } from '@tandem/platform/auth';
import { TestIssuer } from '@tandem/platform/auth/testing';
import { createLogger } from '@tandem/platform/observability';
import { createTestDatabase, type TestDatabase } from '@tandem/platform/testing';
import { createReadDataSource, migrateReadDatabase } from '@tandem/read/models';
import { BatchApplier, PROJECTIONS, type IncomingMessage } from '@tandem/read/projections';
import { parseQueryServiceConfig } from '../config';
import { createQueryService } from '../query-service';

/** The query service in-process on a fresh read DB, listening on a free port, with a way to project events into it. */
export interface QueryServiceUnderTest {
  url: string;
  /** The issuer whose tokens the service accepts. */
  issuer: TestIssuer;
  /** Signs consistency tokens as the command service would, with the service's secret. */
  tokens: ConsistencyTokens;
  /** `fetch` of a path on the service, as staff unless `init.headers` has its own `authorization`. */
  fetch(path: string, init?: { headers?: Record<string, string> }): Promise<Response>;
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
  const issuer = await TestIssuer.shared();
  const staff = await issuer.staffHeaders();
  const config = parseQueryServiceConfig({
    READ_DATABASE_URL: database.url,
    DB_POOL_SIZE: '4',
    ...issuer.env,
    ...env,
  });
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
    issuer,
    tokens: new ConsistencyTokens(config.CONSISTENCY_TOKEN_SECRET),
    fetch: (path, init = {}) => fetch(`${url}${path}`, { headers: { ...staff, ...init.headers } }),
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
