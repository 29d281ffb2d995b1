import type { Pool, PoolClient } from 'pg';
import { createTestDatabase, isRealPostgres, type TestDatabase } from '@tandem/platform/testing';
import type { DataSource } from 'typeorm';
import { createReadDataSource } from './read-data-source';

// pg_terminate_backend needs sessions of their own: PGlite has one for every connection.
const testOnServer = isRealPostgres() ? test : test.skip;

let database: TestDatabase;
let dataSource: DataSource;

beforeAll(async () => {
  database = await createTestDatabase('read_data_source');
  dataSource = createReadDataSource({ url: database.url, poolSize: 2 });
  await dataSource.initialize();
});

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  await database?.drop();
});

/**
 * Found by the fault matrix (issue 13, fault 7: the read DB's connections terminated in a loop): a session ended by
 * the server while its connection was between pg-pool and TypeORM, with nobody listening, crashed the process (an
 * unhandled 'error' event). Here the connection is taken from the pool as TypeORM takes it, before anyone listens.
 */
testOnServer(
  'survives the server ending a session while its connection is checked out and unwatched',
  async () => {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const client: PoolClient = await pool.connect();
    // The gap itself: an 'error' from here on with no listener is thrown out of the socket's handler.
    expect(client.listenerCount('error')).toBeGreaterThan(0);
    const [{ pid }] = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [
      { pid: number },
    ];
    await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release(new Error('its session was ended'));
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  },
);
