import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** True when tests run against a real PostgreSQL server (`TEST_POSTGRES_URL`), false on embedded PGlite. */
export function isRealPostgres(): boolean {
  return Boolean(process.env['TEST_POSTGRES_URL']);
}

/**
 * A fresh, empty database for one test file: a new database on the server named by `TEST_POSTGRES_URL` (dropped
 * afterwards), or a new embedded PGlite instance when that variable is unset.
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const serverUrl = process.env['TEST_POSTGRES_URL'];
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres();
    return { url: embedded.url, drop: embedded.stop };
  }
  const name = `tandem_test_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withAdminClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}

async function withAdminClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
