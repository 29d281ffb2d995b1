import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createLogger } from '@tandem/platform/observability';
import {
  createTestDatabase,
  startTestKafka,
  type TestDatabase,
  type TestKafka,
} from '@tandem/platform/testing';
import { createCommandService, migrateOnly, type CommandService } from './command-service';
import { TestIssuer } from '@tandem/platform/auth/testing';
import { parseCommandServiceConfig } from './config';
import { rebuildInlineModel, UnknownInlineModel } from './inline-rebuild';

// Embedded PGlite and the dev broker start slowly on a busy machine.
jest.setTimeout(120_000);

const logger = createLogger('command-service-test', 'silent');
let database: TestDatabase;
let broker: TestKafka;
let sql: Client;

beforeAll(async () => {
  database = await createTestDatabase('command_inline');
  broker = await startTestKafka('command_inline');
  await migrateOnly(database.url);
  sql = new Client({ connectionString: database.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await broker?.stop();
  await database?.drop();
});

async function start(env: Record<string, string> = {}): Promise<CommandService & { base: string }> {
  const config = parseCommandServiceConfig({
    WRITE_DATABASE_URL: database.url,
    KAFKA_BROKERS: broker.bootstrap,
    KAFKA_TOPIC_PREFIX: broker.prefix,
    TOPIC_PARTITIONS: '1',
    RELAY_ENABLED: 'false',
    LOG_LEVEL: 'silent',
    ...(await TestIssuer.shared()).env,
    ...env,
  });
  const service = await createCommandService(config, logger);
  await service.app.listen(0, '127.0.0.1');
  return { ...service, base: (await service.app.getUrl()).replace('[::1]', '127.0.0.1') };
}

async function post(base: string, path: string, body?: unknown): Promise<{ id: string }> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      ...(await (await TestIssuer.shared()).staffHeaders()),
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

async function placedOrder(base: string, customerId: string, unitPrice: number): Promise<string> {
  const { id } = await post(base, '/api/orders', { customerId });
  await post(base, `/api/orders/${id}/lines`, { sku: 'A', quantity: 2, unitPrice });
  await post(base, `/api/orders/${id}/place`);
  return id;
}

async function exposureOf(customerId: string) {
  const { rows } = await sql.query(
    `SELECT open_count, open_total::text AS open_total FROM customer_exposure WHERE customer_id = $1`,
    [customerId],
  );
  return rows[0];
}

const filled = async () => (await sql.query(`SELECT model FROM inline_models`)).rows;

describe('INLINE_PROJECTIONS', () => {
  it('fills a model at start from what was written without it, applies it in each command, forgets it when left out, and rebuilds it on demand', async () => {
    // Written by a service that does not apply the model (as before it was deployed).
    const without = await start({ INLINE_PROJECTIONS: 'none' });
    const { id: customerId } = await post(without.base, '/api/customers', {
      name: 'Ada',
      email: `ada-${randomUUID()}@example.com`,
      currency: 'EUR',
      creditLimit: 1_000_000,
    });
    await placedOrder(without.base, customerId, 100);
    await without.app.close();
    expect(await exposureOf(customerId)).toBeUndefined();
    expect(await filled()).toEqual([]);

    // The default applies every inline model: filled at start, before the first command.
    const withModel = await start();
    expect(await filled()).toEqual([{ model: 'customer-exposure' }]);
    expect(await exposureOf(customerId)).toEqual({ open_count: 1, open_total: '200' });
    const second = await placedOrder(withModel.base, customerId, 50);
    // The command's answer came after its commit: the model is already there, nothing to wait for.
    expect(await exposureOf(customerId)).toEqual({ open_count: 2, open_total: '300' });
    await post(withModel.base, `/api/orders/${second}/ship`);
    expect(await exposureOf(customerId)).toEqual({ open_count: 1, open_total: '200' });
    await withModel.app.close();

    // A service that does not apply it forgets it: its commands would not reach it.
    const again = await start({ INLINE_PROJECTIONS: 'none' });
    await again.app.close();
    expect(await filled()).toEqual([]);
    expect(await exposureOf(customerId)).toBeUndefined();

    const report = await rebuildInlineModel(database.url, 'customer-exposure', logger);
    expect(report).toMatchObject({ model: 'customer-exposure', how: 'rebuilt' });
    expect(await filled()).toEqual([{ model: 'customer-exposure' }]);
    expect(await exposureOf(customerId)).toEqual({ open_count: 1, open_total: '200' });
    await expect(rebuildInlineModel(database.url, 'daily-sales', logger)).rejects.toBeInstanceOf(
      UnknownInlineModel,
    );
  });
});
