import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { TestIssuer } from '@tandem/platform/auth/testing';
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
 * Issue 13: delivered outbox rows are deleted once past their retention (OUTBOX_RETENTION_MINUTES, 7 days by
 * default), so the write DB does not grow with every event ever recorded; undelivered and recent rows stay, and so
 * does a row still owing its delivery on the topic that replaced its own (latest_published_at).
 */
let database: TestDatabase;
let kafka: TestKafka;
let app: INestApplication;
let base: string;
let sql: Client;
let staff: { authorization: string };

beforeAll(async () => {
  const issuer = await TestIssuer.shared();
  staff = await issuer.staffHeaders();
  database = await createTestDatabase('outbox_retention');
  kafka = await startTestKafka('outbox_retention');
  const config = parseCommandServiceConfig({
    WRITE_DATABASE_URL: database.url,
    KAFKA_BROKERS: kafka.bootstrap,
    KAFKA_TOPIC_PREFIX: kafka.prefix,
    TOPIC_PARTITIONS: '2',
    OUTBOX_SWEEP_INTERVAL_MS: '200',
    LOG_LEVEL: 'silent',
    ...issuer.env,
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

/** Every HTTP call of this file, as staff. */
async function send(method: string, route: string, body: unknown): Promise<{ status: number; id: string }> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { ...staff, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
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

const PENDING = `SELECT 1 FROM outbox WHERE published_at IS NULL OR latest_published_at IS NULL`;

it('deletes delivered rows older than the retention and keeps the recent ones', async () => {
  const old: string[] = [];
  for (let i = 0; i < 4; i++) old.push((await register()).id);
  await waitFor(async () => (await sql.query(PENDING)).rows.length === 0, {
    timeoutMs: 30_000,
    what: 'the outbox published',
  });
  // As if they had been delivered eight days ago.
  await sql.query(
    `UPDATE outbox SET published_at = published_at - interval '8 days',
                       latest_published_at = latest_published_at - interval '8 days',
                       created_at = created_at - interval '8 days'
      WHERE message_key = ANY($1)`,
    [old],
  );
  const recent = (await register()).id;
  await waitFor(async () => (await outboxOf(old)).length === 0, {
    timeoutMs: 10_000,
    what: 'the old rows deleted',
  });
  await waitFor(async () => (await sql.query(PENDING)).rows.length === 0, {
    timeoutMs: 30_000,
    what: 'the recent row published',
  });
  expect(await outboxOf([recent])).toEqual([recent]);
});

it('keeps an old row published on its topic while its delivery on the topic that replaced it is owed', async () => {
  const owing = (await register()).id;
  const done = (await register()).id;
  await waitFor(async () => (await sql.query(PENDING)).rows.length === 0, {
    timeoutMs: 30_000,
    what: 'the outbox published',
  });
  // Both published on their topic eight days ago; `owing` as a relay before v2 leaves a row (no second mark). This
  // relay then makes (or, for a customer row, which owes no second topic, marks) the second delivery now: the row
  // is recent by its last delivery, while a sweeper reading only published_at would delete it at its next sweep.
  await sql.query(
    `UPDATE outbox SET published_at = published_at - interval '8 days',
                       latest_published_at = CASE WHEN message_key = $2 THEN NULL
                                                  ELSE latest_published_at - interval '8 days' END
      WHERE message_key = ANY($1)`,
    [[owing, done], owing],
  );
  await waitFor(async () => (await outboxOf([done])).length === 0, {
    timeoutMs: 10_000,
    what: 'the delivered row deleted',
  });
  // The sweeper has run past the owing row (every 200 ms) and kept it.
  expect(await outboxOf([owing])).toEqual([owing]);
});
