import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { TestIssuer } from '@tandem/platform/auth/testing';
import {
  createTestDatabase,
  isRealPostgres,
  waitFor,
  type TestDatabase,
  startTestKafka,
  type TestKafka,
} from '@tandem/platform/testing';

/**
 * Two command-service processes on one write DB: exactly one relays; when it is killed the other takes over.
 * Needs a real server: PGlite has one session, so an advisory lock cannot tell two processes apart.
 */
const root = path.resolve(__dirname, '../../..');
const describeReal = isRealPostgres() ? describe : describe.skip;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describeReal('relay failover between two command-service processes', () => {
  let database: TestDatabase;
  let broker: TestKafka;
  let consumer: Consumer;
  const seenKeys = new Map<string, number>();
  const services: Array<{ child: ChildProcess; url: string; metricsUrl: string }> = [];

  beforeAll(async () => {
    execFileSync(process.execPath, ['tools/build/build.mjs', 'command-service'], {
      cwd: root,
      stdio: 'ignore',
    });
    database = await createTestDatabase('relay_failover');
    broker = await startTestKafka('relay_failover');
    execFileSync(process.execPath, ['dist/apps/command-service/main.js', 'migrate'], {
      cwd: root,
      env: { ...process.env, WRITE_DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const metricsPort = await freePort();
      const child = spawn(process.execPath, ['dist/apps/command-service/main.js'], {
        cwd: root,
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          PORT: String(port),
          METRICS_PORT: String(metricsPort),
          WRITE_DATABASE_URL: database.url,
          KAFKA_BROKERS: broker.bootstrap,
          KAFKA_TOPIC_PREFIX: broker.prefix,
          TOPIC_PARTITIONS: '3',
          RUN_MIGRATIONS: 'false',
          LOG_LEVEL: 'warn',
          ...(await TestIssuer.shared()).env,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      services.push({
        child,
        url: `http://127.0.0.1:${port}`,
        metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
      });
    }
    for (const { url } of services) {
      await waitFor(async () => (await fetch(`${url}/health/ready`)).status === 200, {
        what: `${url} ready`,
        timeoutMs: 60_000,
        intervalMs: 200,
      });
    }
    const kafka = new Kafka({
      clientId: 'failover-test',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
    });
    consumer = kafka.consumer({ groupId: broker.group(`failover-${randomUUID()}`) });
    await consumer.connect();
    await consumer.subscribe({ topic: broker.topic('orders.customer.v1'), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seenKeys.set(String(message.key), Date.now());
      },
    });
  }, 150_000);

  afterAll(async () => {
    await consumer?.disconnect();
    const running = services.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    const exited = running.map(({ child }) => new Promise((resolve) => child.once('exit', resolve)));
    // SIGTERM: the graceful path (relay stopped, producer and pool closed) must end the process by itself.
    for (const { child } of running) child.kill('SIGTERM');
    await Promise.all(exited);
    await broker?.stop();
    await database?.drop();
  }, 60_000);

  async function isActive(service: { metricsUrl: string }): Promise<boolean> {
    const metrics = await (await fetch(service.metricsUrl)).text();
    return /^outbox_relay_active(\{[^}]*\})? 1$/m.test(metrics);
  }

  async function register(url: string): Promise<string> {
    const response = await fetch(`${url}/api/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await (await TestIssuer.shared()).staffHeaders()) },
      body: JSON.stringify({
        name: 'Failover',
        email: `f-${randomUUID()}@example.com`,
        currency: 'EUR',
        creditLimit: 1,
      }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  it('relays in exactly one process, and in the other within 5 s of killing it', async () => {
    await waitFor(async () => (await Promise.all(services.map((s) => isActive(s)))).some(Boolean), {
      what: 'an active relay',
      timeoutMs: 20_000,
    });
    const active = await Promise.all(services.map((s) => isActive(s)));
    expect(active.filter(Boolean)).toHaveLength(1);
    const leader = services[active.indexOf(true)];
    const standby = services[active.indexOf(false)];
    if (!leader || !standby) throw new Error('expected one leader and one standby');

    const before = await register(standby.url);
    await waitFor(() => seenKeys.has(before), { what: 'event relayed by the leader', timeoutMs: 20_000 });

    leader.child.kill('SIGKILL');
    const killedAt = Date.now();
    const after = await register(standby.url);
    await waitFor(() => seenKeys.has(after), { what: 'event relayed by the standby', timeoutMs: 10_000 });
    expect((seenKeys.get(after) ?? Infinity) - killedAt).toBeLessThan(5000);
    expect(await isActive(standby)).toBe(true);
  }, 60_000);
});
