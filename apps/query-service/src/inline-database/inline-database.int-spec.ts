import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Customer } from '@tandem/contracts';
import { customerExposureModel, INLINE_MODELS_TABLE } from '@tandem/inline-models';
import { createLogger } from '@tandem/platform/observability';
import { migratedShape, shapeDifferences } from '@tandem/platform/read-model';
import { createTestDatabase, isRealPostgres, type TestDatabase } from '@tandem/platform/testing';
import { eventMessage } from '@tandem/read/projections';
import { startQueryService, type QueryServiceUnderTest } from '../test/query-service-under-test';
import { openInlineDatabase } from './inline-database';

/**
 * The customer read with its open orders from the inline model, through the query service's read-only connection.
 * The write DB here is a bare one with the model's tables as the write side's migration makes them (checked against
 * the model's declaration): the query service knows nothing else of it.
 */
let writeDb: TestDatabase;
let admin: Client;
let service: QueryServiceUnderTest;
const withOrders = randomUUID();
const withNone = randomUUID();

beforeAll(async () => {
  writeDb = await createTestDatabase('query_inline_write');
  admin = new Client({ connectionString: writeDb.url });
  await admin.connect();
  await admin.query(`CREATE TABLE ${INLINE_MODELS_TABLE} (model text PRIMARY KEY, filled_at timestamptz NOT NULL,
    caught_up_at timestamptz NOT NULL)`);
  await admin.query(`CREATE TABLE customer_exposure (customer_id uuid PRIMARY KEY, currency char(3) NOT NULL,
    open_count integer NOT NULL DEFAULT 0, open_total numeric NOT NULL DEFAULT 0, updated_at timestamptz NOT NULL)`);
  await admin.query(`INSERT INTO ${INLINE_MODELS_TABLE} VALUES ('customer-exposure', now(), now())`);
  await admin.query(
    `INSERT INTO customer_exposure VALUES ($1, 'EUR', 3, 90071992547409930, '2026-12-01T10:00:00Z')`,
    [withOrders],
  );
  service = await startQueryService('query_inline', { INLINE_DATABASE_URL: writeDb.url });
  await service.project(
    [withOrders, withNone].map((customerId, i) =>
      eventMessage(
        {
          type: 'CustomerRegistered',
          data: { customerId, name: `C${i}`, email: `c${i}@example.com`, currency: 'EUR', creditLimit: 1 },
        },
        { streamVersion: 1, time: '2026-12-01T09:00:00.000Z' },
      ),
    ),
  );
}, 60_000);

afterAll(async () => {
  await service?.close();
  await admin?.end();
  await writeDb?.drop();
}, 60_000);

const customerOf = async (id: string) => {
  const response = await service.fetch(`/api/customers/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Customer;
};

describe('GET /api/customers/{id} with the inline customer-exposure model', () => {
  test('the tables here are the ones the model declares', async () => {
    const query = async (sql: string, params: unknown[]) => (await admin.query(sql, params)).rows;
    expect(shapeDifferences(customerExposureModel, await migratedShape(query, 'customer_exposure'))).toEqual(
      [],
    );
  });

  test('shows the open orders (an exact decimal total), zeros for a customer with none, and fits the schema', async () => {
    const customer = await customerOf(withOrders);
    expect(customer.openOrders).toEqual({ count: 3, total: '90071992547409930' });
    expect(() => Customer.parse(customer)).not.toThrow();
    expect((await customerOf(withNone)).openOrders).toEqual({ count: 0, total: '0' });
  });

  test('its ETag changes with the open orders', async () => {
    const first = await service.fetch(`/api/customers/${withOrders}`);
    const etag = first.headers.get('etag') ?? '';
    expect(
      (await service.fetch(`/api/customers/${withOrders}`, { headers: { 'If-None-Match': etag } })).status,
    ).toBe(304);
    await admin.query(`UPDATE customer_exposure SET open_count = 2 WHERE customer_id = $1`, [withOrders]);
    const changed = await service.fetch(`/api/customers/${withOrders}`, {
      headers: { 'If-None-Match': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  test('answers null while the write side has not filled the model', async () => {
    await admin.query(`DELETE FROM ${INLINE_MODELS_TABLE}`);
    try {
      expect((await customerOf(withOrders)).openOrders).toBeNull();
    } finally {
      await admin.query(`INSERT INTO ${INLINE_MODELS_TABLE} VALUES ('customer-exposure', now(), now())`);
    }
  });

  // Refusing connections to one database while others go on needs a real server.
  (isRealPostgres() ? test : test.skip)(
    'answers null for the open orders, and stays ready, while the inline database does not answer',
    async () => {
      const name = new URL(writeDb.url).pathname.slice(1);
      // On the server's own database: a session cannot close the one it is connected to.
      const server = new Client({ connectionString: process.env['TEST_POSTGRES_URL'] });
      await server.connect();
      await server.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
      await server.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'query-service-inline'
            AND datname = $1`,
        [name],
      );
      try {
        expect((await customerOf(withOrders)).openOrders).toBeNull();
        expect((await service.fetch(`/health/ready`)).status).toBe(200);
      } finally {
        await server.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
        await server.end();
      }
      expect((await customerOf(withOrders)).openOrders).toMatchObject({ total: '90071992547409930' });
    },
  );

  // PGlite ignores the startup options (the connection warns at start); a real server enforces them.
  (isRealPostgres() ? test : test.skip)(
    'cannot write through its connection: the server refuses',
    async () => {
      const inline = await openInlineDatabase(writeDb.url, createLogger('query-service', 'silent'));
      try {
        await expect(
          inline.reader.query(`UPDATE customer_exposure SET open_count = 0 WHERE customer_id = $1`, [
            withOrders,
          ]),
        ).rejects.toThrow(/read-only transaction/);
        await expect(inline.reader.query(`CREATE TABLE sneaky (x int)`, [])).rejects.toThrow(
          /read-only transaction/,
        );
      } finally {
        await inline.close();
      }
      const [row] = (
        await admin.query(`SELECT open_count FROM customer_exposure WHERE customer_id = $1`, [withOrders])
      ).rows;
      expect(row).toEqual({ open_count: 2 });
    },
  );
});
