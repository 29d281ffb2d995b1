import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { startDevBroker, type DevBroker } from '@tandem/kafka-dev-broker';
import { TestIssuer } from '@tandem/platform/auth/testing';
import { createLogger, metricsRegistry } from '@tandem/platform/observability';
import { createTestDatabase, waitFor, type TestDatabase } from '@tandem/platform/testing';
import { createCommandService } from './command-service';
import { parseCommandServiceConfig } from './config';

jest.setTimeout(120_000);

/**
 * Issue 13: a Kafka outage must not take writes down. The outbox exists to absorb it: commands are accepted while
 * Kafka is unreachable (at start too), readiness stays green and reports the relay's backlog instead, and once Kafka
 * is back every event is published. The broker is a development broker on a port of this file's own, with a data
 * dir, so that it can be stopped and started again as Kafka would be.
 */
let database: TestDatabase;
let broker: DevBroker | null = null;
let dataDir: string;
let port: number;
let sql: Client;
let issuer: TestIssuer;
let staff: { authorization: string };
const apps: INestApplication[] = [];

beforeAll(async () => {
  issuer = await TestIssuer.shared();
  staff = await issuer.staffHeaders();
  database = await createTestDatabase('kafka_outage');
  dataDir = mkdtempSync(path.join(tmpdir(), 'kafka-outage-'));
  port = await freePort();
  sql = new Client({ connectionString: database.url });
  await sql.connect();
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await sql?.end();
  await broker?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const startBroker = async () => {
  broker = await startDevBroker({ port, dataDir, logger: () => undefined });
};
const stopBroker = async () => {
  await broker?.stop();
  broker = null;
};

async function startService(): Promise<string> {
  const config = parseCommandServiceConfig({
    WRITE_DATABASE_URL: database.url,
    KAFKA_BROKERS: `127.0.0.1:${port}`,
    TOPIC_PARTITIONS: '2',
    LOG_LEVEL: 'silent',
    ...issuer.env,
  });
  const { app } = await createCommandService(config, createLogger('kafka-outage-test', 'silent'), {
    pollIntervalMs: 50,
  });
  apps.push(app);
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

/** Every HTTP call of this file, as staff. */
async function send(base: string, method: string, route: string, body?: unknown) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...staff,
      'idempotency-key': randomUUID(),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

const register = (base: string) =>
  send(base, 'POST', '/api/customers', {
    name: 'Outage',
    email: `outage+${randomUUID().slice(0, 8)}@example.com`,
    currency: 'EUR',
    creditLimit: 1000,
  });

interface Readiness {
  status: string;
  checks: Array<{
    name: string;
    status: string;
    details?: { events: number; relay: { failingSince: unknown } };
  }>;
}

const readiness = async (base: string) => {
  const answer = await send(base, 'GET', '/health/ready');
  return { status: answer.status, body: answer.body as unknown as Readiness };
};

const unpublished = async () =>
  Number(
    (
      await sql.query<{ n: string }>(
        `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL OR latest_published_at IS NULL`,
      )
    ).rows[0]?.n,
  );

/** The ids (ce_id) on the customer topic, read from offset 0. */
async function customerEventsOnKafka(): Promise<Set<string>> {
  const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets('orders.customer.v1');
  await admin.disconnect();
  const total = ends.reduce((sum, p) => sum + Number(p.high), 0);
  const ids = new Set<string>();
  if (total === 0) return ids;
  const consumer = kafka.consumer({ groupId: `outage-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: 'orders.customer.v1', fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        ids.add(String(message.headers?.['ce_id'] ?? ''));
        if (++seen >= total) resolve();
      },
    });
  });
  await consumer.disconnect();
  return ids;
}

it('takes commands and stays ready while Kafka is down, reports the backlog, and publishes it once Kafka is back', async () => {
  await startBroker();
  const base = await startService();
  expect((await register(base)).status).toBe(201);
  await waitFor(async () => (await unpublished()) === 0, { timeoutMs: 20_000 });

  await stopBroker();
  const during: string[] = [];
  for (let i = 0; i < 5; i++) {
    const answer = await register(base);
    expect(answer.status).toBe(201);
    during.push(String(answer.body['id']));
  }
  const { status, body } = await readiness(base);
  expect(status).toBe(200);
  const outbox = body.checks.find((check) => check.name === 'outbox');
  expect(outbox?.status).toBe('up');
  expect(outbox?.details?.events).toBe(5);
  expect(body.checks.map((check) => check.name)).not.toContain('kafka');
  // The gauge the management port serves (METRICS_PORT), read from this process's registry.
  const metrics = await metricsRegistry.getSingleMetricAsString('outbox_backlog_events');
  expect(metrics).toMatch(/outbox_backlog_events(\{[^}]*\})? 5(\n|$)/);

  await startBroker();
  await waitFor(async () => (await unpublished()) === 0, { timeoutMs: 60_000 });
  const { rows } = await sql.query<{ event_id: string }>(`SELECT event_id FROM outbox`);
  const onKafka = await customerEventsOnKafka();
  expect(rows.filter((row) => !onKafka.has(row.event_id))).toEqual([]);
});

it('starts without Kafka, takes commands, and publishes them when Kafka comes', async () => {
  await stopBroker();
  const base = await startService();
  expect((await readiness(base)).status).toBe(200);
  expect((await register(base)).status).toBe(201);
  expect(await unpublished()).toBeGreaterThan(0);
  await startBroker();
  await waitFor(async () => (await unpublished()) === 0, { timeoutMs: 60_000 });
});
