import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { createLogger } from '@tandem/platform/observability';
import {
  createTestDatabase,
  startTestKafka,
  waitFor,
  type TestDatabase,
  type TestKafka,
} from '@tandem/platform/testing';
import { createCommandService } from './command-service';
import { parseCommandServiceConfig } from './config';

jest.setTimeout(90_000);

/**
 * Issue 13: published outbox rows are deleted once past their retention (OUTBOX_RETENTION_MINUTES, 7 days by
 * default), so the write DB does not grow with every event ever recorded; unpublished and recent rows stay.
 */
let database: TestDatabase;
let kafka: TestKafka;
let app: INestApplication;
let base: string;
let sql: Client;

beforeAll(async () => {
  database = await createTestDatabase('outbox_retention');
  kafka = await startTestKafka('outbox_retention');
  const config = parseCommandServiceConfig({
    WRITE_DATABASE_URL: database.url,
    KAFKA_BROKERS: kafka.bootstrap,
    KAFKA_TOPIC_PREFIX: kafka.prefix,
    TOPIC_PARTITIONS: '2',
    OUTBOX_SWEEP_INTERVAL_MS: '200',
    LOG_LEVEL: 'silent',
  });
  ({ app } = await createCommandService(config, createLogger('outbox-retention-test', 'silent'), {
    pollIntervalMs: 50,
  }));
  await app.listen(0, '127.0.0.1');
  base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  sql = new Client({ connectionString: database.url });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await app?.close();
  await kafka?.stop();
  await database?.drop();
});

/** Every HTTP call of this file: the one place a bearer token will be added. */
async function send(method: string, route: string, body: unknown): Promise<{ status: number; id: string }> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { id: string };
  return { status: response.status, id: answer.id };
}

const register = () =>
  send('POST', '/api/customers', {
    name: 'Retention',
    email: `retention+${randomUUID().slice(0, 8)}@example.com`,
    currency: 'EUR',
    creditLimit: 1000,
  });

const outboxOf = async (ids: string[]) =>
  (
    await sql.query<{ message_key: string }>(`SELECT message_key FROM outbox WHERE message_key = ANY($1)`, [
      ids,
    ])
  ).rows.map((row) => row.message_key);

it('deletes published rows older than the retention and keeps the recent ones', async () => {
  const old: string[] = [];
  for (let i = 0; i < 4; i++) old.push((await register()).id);
  await waitFor(
    async () => (await sql.query(`SELECT 1 FROM outbox WHERE published_at IS NULL`)).rows.length === 0,
    { timeoutMs: 30_000, what: 'the outbox published' },
  );
  // As if they had been published eight days ago.
  await sql.query(
    `UPDATE outbox SET published_at = published_at - interval '8 days', created_at = created_at - interval '8 days'
      WHERE message_key = ANY($1)`,
    [old],
  );
  const recent = (await register()).id;
  await waitFor(async () => (await outboxOf(old)).length === 0, {
    timeoutMs: 10_000,
    what: 'the old rows deleted',
  });
  await waitFor(
    async () => (await sql.query(`SELECT 1 FROM outbox WHERE published_at IS NULL`)).rows.length === 0,
    { timeoutMs: 30_000, what: 'the recent row published' },
  );
  expect(await outboxOf([recent])).toEqual([recent]);
});
