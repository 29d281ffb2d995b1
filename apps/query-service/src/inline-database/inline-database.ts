import { Pool } from 'pg';
import type { InlineReader } from '@tandem/inline-models';
import type { Logger } from '@tandem/platform/observability';

/** Connections to the write DB (or its replica) per query-service process: one customer read uses one, briefly. */
const INLINE_POOL_SIZE = 2;

/** The query service's connection to the inline models: read-only, and nothing but their queries goes through it. */
export interface InlineDatabase {
  reader: InlineReader;
  close(): Promise<void>;
}

/**
 * Opens the read-only pool to the write DB (or a replica of it). Every session starts with
 * `default_transaction_read_only=on`, so a write through it fails (a hot standby refuses it anyway). The embedded
 * PGlite of `npm start` ignores startup options: there, a warning says so at start.
 */
export async function openInlineDatabase(url: string, logger: Logger): Promise<InlineDatabase> {
  const pool = new Pool({
    connectionString: url,
    max: INLINE_POOL_SIZE,
    application_name: 'query-service-inline',
    options: '-c default_transaction_read_only=on',
    connectionTimeoutMillis: 5000,
  });
  // An idle client's error (the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', (error) => logger.warn({ err: error }, 'inline database connection lost'));
  try {
    const { rows } = await pool.query<{ transaction_read_only: string }>(`SHOW transaction_read_only`);
    if (rows[0]?.transaction_read_only !== 'on') {
      logger.warn(
        'the inline database connection is not read-only: the server ignored default_transaction_read_only',
      );
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    reader: {
      query: async <Row>(sql: string, params: unknown[]) => (await pool.query(sql, params)).rows as Row[],
    },
    close: () => pool.end(),
  };
}
