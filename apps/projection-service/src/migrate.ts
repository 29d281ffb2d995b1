import { createReadDataSource, migrateReadDatabase } from '@tandem/read/models';
import type { Logger } from '@tandem/platform/observability';
import type { MigrateConfig } from './config';

/** `main.js migrate`: applies the read-DB migrations and returns, as a Kubernetes job runs it before the services. */
export async function migrateOnly(config: MigrateConfig, logger: Logger): Promise<void> {
  const dataSource = createReadDataSource({
    url: config.READ_DATABASE_URL,
    applicationName: 'read-migrations',
  });
  await dataSource.initialize();
  try {
    const applied = await migrateReadDatabase(dataSource);
    logger.info(
      { migrations: applied },
      applied.length ? 'read database migrated' : 'read database up to date',
    );
  } finally {
    await dataSource.destroy();
  }
}
