// AddOrderLine throughput through the gateway and the command service (separate processes, real Postgres, the dev
// Kafka broker with the relay running), against a raw ceiling: plain `pg` doing the same SQL per command (load the
// stream, append the event and its outbox row, commit) at the same concurrency, on distinct orders. Then PlaceOrder
// and ShipOrder on distinct orders (a customer per connection): the commands whose events the inline
// customer-exposure model reads, so `--inline on|off` (INLINE_PROJECTIONS=customer-exposure or none) shows what
// applying it in the command's transaction costs. AddOrderLine's events are read by no inline model.
// Last, the physical ceiling: a single-row INSERT per transaction at the same concurrency; the command path's share
// of it is printed beside the ratio to the raw ceiling.
// Usage: BENCH_POSTGRES_URL=postgres://... npm run bench -- commands [--commands N] [--connections N]
//        [--kafka apache|dev] [--inline on|off] [--lifecycle N]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { accessTokenFor, DEV_AUDIENCE, startDevOidcProvider } from '@tandem/dev-oidc';
import { freePort } from '@tandem/dev-stack';
import {
  BENCH_RATE_LIMITS,
  choiceOption,
  kafkaOption,
  option,
  percentile,
  startBenchBroker,
  waitHealthy,
} from '../support';

const ROOT = path.resolve(__dirname, '../..');
const LINES_PER_ORDER = 90;

/** BENCH_CPU_PROFILE_DIR=<dir>: each service writes a V8 CPU profile there when it exits (`--cpu-prof`). */
function start(app: string, env: Record<string, string>): ChildProcess {
  const profile = process.env['BENCH_CPU_PROFILE_DIR'];
  const flags = profile
    ? ['--cpu-prof', `--cpu-prof-dir=${profile}`, `--cpu-prof-name=${app}.cpuprofile`]
    : [];
  return spawn(process.execPath, [...flags, `dist/apps/${app}/main.js`], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

interface Run {
  commands: number;
  seconds: number;
  latenciesMs: number[];
}

/** `connections` workers; worker w sends its share of commands, moving to a fresh order every LINES_PER_ORDER. */
async function drive(
  commands: number,
  connections: number,
  orderFor: (worker: number, index: number) => string,
  send: (orderId: string, sku: string) => Promise<void>,
): Promise<Run> {
  const latenciesMs: number[] = [];
  const perWorker = Math.ceil(commands / connections);
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      for (let i = 0; i < perWorker; i++) {
        const t0 = process.hrtime.bigint();
        await send(orderFor(worker, Math.floor(i / LINES_PER_ORDER)), `SKU-${i}`);
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { commands: perWorker * connections, seconds, latenciesMs };
}

/** `connections` workers; worker w sends, for each of its orders in turn, the commands `steps` gives for it. */
async function driveEach(
  connections: number,
  ordersOf: string[][],
  steps: (orderId: string) => Array<() => Promise<unknown>>,
): Promise<Run> {
  const latenciesMs: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      for (const orderId of ordersOf[worker] ?? []) {
        for (const send of steps(orderId)) {
          const t0 = process.hrtime.bigint();
          await send();
          latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { commands: latenciesMs.length, seconds, latenciesMs };
}

export async function main(args: string[]): Promise<void> {
  const serverUrl = process.env['BENCH_POSTGRES_URL'];
  if (!serverUrl) throw new Error('set BENCH_POSTGRES_URL (a real PostgreSQL server) to run this benchmark');
  const commands = option(args, '--commands', 9600);
  const connections = option(args, '--connections', 32);
  const inline = choiceOption(args, '--inline', ['on', 'off'] as const, 'on');
  // PlaceOrder + ShipOrder commands: half as many orders, each placed then shipped.
  const lifecycleOrdersPerWorker = Math.ceil(option(args, '--lifecycle', 3200) / connections / 2);
  const ordersPerWorker = Math.ceil(commands / connections / LINES_PER_ORDER);

  execFileSync(process.execPath, ['tools/build/build.mjs', 'command-service'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  execFileSync(process.execPath, ['tools/build/build.mjs', 'gateway'], { cwd: ROOT, stdio: 'ignore' });
  const dbName = `tandem_bench_commands_${randomUUID().slice(0, 8)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const dbUrl = new URL(serverUrl);
  dbUrl.pathname = `/${dbName}`;
  const kafkaKind = kafkaOption(args);
  const broker = await startBenchBroker(kafkaKind);
  // The development OpenID provider: both services check customer1's token, and the command service its ownership.
  const identity = await startDevOidcProvider({ port: 0, output: () => undefined });
  const auth = { AUTH_ISSUER: identity.issuer, AUTH_AUDIENCE: DEV_AUDIENCE, AUTH_JWKS_URL: identity.jwksUrl };
  const authorization = `Bearer ${await accessTokenFor(identity.issuer, 'customer1')}`;
  // Place + ship runs as staff: a customer per connection (one account has one record), and only staff ships.
  const staffAuthorization = `Bearer ${await accessTokenFor(identity.issuer, 'staff1')}`;
  const children: ChildProcess[] = [];
  try {
    const commandPort = await freePort();
    const gatewayPort = await freePort();
    children.push(
      start('command-service', {
        PORT: String(commandPort),
        WRITE_DATABASE_URL: dbUrl.toString(),
        WRITE_DATABASE_POOL_SIZE: String(connections),
        KAFKA_BROKERS: broker.bootstrap,
        TOPIC_PARTITIONS: '6',
        INLINE_PROJECTIONS: inline === 'on' ? 'customer-exposure' : 'none',
        ...auth,
      }),
    );
    const commandUrl = `http://127.0.0.1:${commandPort}`;
    await waitHealthy(commandUrl);
    children.push(
      start('gateway', {
        PORT: String(gatewayPort),
        COMMAND_SERVICE_URL: commandUrl,
        // Only command routes are driven; the read services are not started.
        QUERY_SERVICE_URL: 'http://127.0.0.1:9',
        PROJECTION_SERVICE_URL: 'http://127.0.0.1:9',
        ...auth,
        ...BENCH_RATE_LIMITS,
      }),
    );
    const api = `http://127.0.0.1:${gatewayPort}/api`;
    await waitHealthy(`http://127.0.0.1:${gatewayPort}`, 'live');

    const post = async (url: string, body?: unknown, as = authorization): Promise<{ id: string }> => {
      const response = await fetch(url, {
        method: 'POST',
        // JSON even without a body: a bodiless POST without it is refused (not a CORS simple request).
        headers: { authorization: as, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (response.status >= 300) throw new Error(`${url}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { id: string };
    };
    const customer = await post(`${api}/customers`, {
      name: 'Bench',
      email: 'customer1@example.com',
      currency: 'EUR',
      creditLimit: 1_000_000_000,
    });
    const orders: string[][] = [];
    for (let w = 0; w < connections; w++) {
      const mine: string[] = [];
      for (let o = 0; o < ordersPerWorker; o++)
        mine.push((await post(`${api}/orders`, { customerId: customer.id })).id);
      orders.push(mine);
    }
    const brokerCpuBefore = broker.cpuSeconds();
    const full = await drive(
      commands,
      connections,
      (w, o) => orders[w]?.[o] ?? '',
      async (orderId, sku) => {
        await post(`${api}/orders/${orderId}/lines`, { sku, quantity: 1, unitPrice: 100 });
      },
    );
    const brokerCpuSeconds = broker.cpuSeconds() - brokerCpuBefore;

    // PlaceOrder then ShipOrder, on orders of one line each, a customer per connection (so that no two connections
    // wait for the same exposure row).
    const lifecycleOrders: string[][] = [];
    for (let w = 0; w < connections; w++) {
      const owner = await post(
        `${api}/customers`,
        {
          name: `Bench ${w}`,
          email: `bench-${w}-${randomUUID()}@example.com`,
          currency: 'EUR',
          creditLimit: 1_000_000_000,
        },
        staffAuthorization,
      );
      const mine: string[] = [];
      for (let o = 0; o < lifecycleOrdersPerWorker; o++) {
        const order = await post(`${api}/orders`, { customerId: owner.id }, staffAuthorization);
        await post(
          `${api}/orders/${order.id}/lines`,
          { sku: 'L', quantity: 1, unitPrice: 100 },
          staffAuthorization,
        );
        mine.push(order.id);
      }
      lifecycleOrders.push(mine);
    }
    const lifecycle = await driveEach(connections, lifecycleOrders, (orderId) => [
      () => post(`${api}/orders/${orderId}/place`, undefined, staffAuthorization),
      () => post(`${api}/orders/${orderId}/ship`, undefined, staffAuthorization),
    ]);

    // Raw ceiling: the same statements per command, straight from a pg pool.
    const pool = new Pool({ connectionString: dbUrl.toString(), max: connections });
    const rawOrders: string[][] = [];
    for (let w = 0; w < connections; w++) {
      const mine: string[] = [];
      for (let o = 0; o < ordersPerWorker; o++) {
        const orderId = randomUUID();
        await pool.query(
          `INSERT INTO events (stream_id, stream_type, version, event_id, type, data, metadata)
           VALUES ($1, 'order', 1, $2, 'OrderCreated', $3, '{}')`,
          [orderId, randomUUID(), JSON.stringify({ orderId, customerId: customer.id, currency: 'EUR' })],
        );
        mine.push(orderId);
      }
      rawOrders.push(mine);
    }
    const raw = await drive(
      commands,
      connections,
      (w, o) => rawOrders[w]?.[o] ?? '',
      async (orderId, sku) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const stream = await client.query(
            `SELECT type, data FROM events WHERE stream_id = $1 AND stream_type = 'order' ORDER BY version`,
            [orderId],
          );
          const version = stream.rows.length + 1;
          const eventId = randomUUID();
          const data = JSON.stringify({ orderId, sku, quantity: 1, unitPrice: 100 });
          await client.query(
            `INSERT INTO events (stream_id, stream_type, version, event_id, type, data, metadata)
             VALUES ($1, 'order', $2, $3, 'OrderLineAdded', $4, '{}')`,
            [orderId, version, eventId, data],
          );
          await client.query(
            `INSERT INTO outbox (event_id, topic, message_key, envelope, payload) VALUES ($1, 'orders.order.v1', $2, '{}', $3)`,
            [eventId, orderId, data],
          );
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      },
    );
    // The raw rows have no envelope the relay could publish; keep it from trying.
    await pool.query(`UPDATE outbox SET published_at = now() WHERE published_at IS NULL AND envelope = '{}'`);

    // The physical ceiling: one single-row INSERT per transaction (autocommit, so one round trip), at the same
    // concurrency, on this server with its own durability settings (fsync, synchronous_commit and group commit as
    // configured). No command path on this PostgreSQL can commit faster than this.
    await pool.query(
      'CREATE TABLE bench_single_row (id bigserial PRIMARY KEY, stream_id uuid NOT NULL, data jsonb NOT NULL)',
    );
    const physical = await drive(
      commands,
      connections,
      (w, o) => rawOrders[w]?.[o] ?? '',
      async (orderId, sku) => {
        await pool.query('INSERT INTO bench_single_row (stream_id, data) VALUES ($1, $2)', [
          orderId,
          JSON.stringify({ orderId, sku, quantity: 1, unitPrice: 100 }),
        ]);
      },
    );
    const durability = await pool.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'commit_delay')`,
    );
    await pool.end();

    const rate = (run: Run) => Math.round(run.commands / run.seconds);
    const rows = [
      [
        'gateway → command-service',
        rate(full),
        percentile(full.latenciesMs, 50),
        percentile(full.latenciesMs, 99),
      ],
      ['raw pg ceiling', rate(raw), percentile(raw.latenciesMs, 50), percentile(raw.latenciesMs, 99)],
      [
        'single-row INSERT',
        rate(physical),
        percentile(physical.latenciesMs, 50),
        percentile(physical.latenciesMs, 99),
      ],
      [
        'place + ship (gateway)',
        rate(lifecycle),
        percentile(lifecycle.latenciesMs, 50),
        percentile(lifecycle.latenciesMs, 99),
      ],
    ] as const;
    console.log(
      `\nAddOrderLine, ${full.commands} commands on distinct orders, ${connections} connections, ${broker.name}; ` +
        `then ${lifecycle.commands} PlaceOrder + ShipOrder; inline model ${inline}\n`,
    );
    console.log('| path                      | commands/s | p50 ms | p99 ms |');
    console.log('| ------------------------- | ---------: | -----: | -----: |');
    for (const [name, perSecond, p50, p99] of rows) {
      console.log(
        `| ${name.padEnd(25)} | ${String(perSecond).padStart(10)} | ${p50.toFixed(1).padStart(6)} | ${p99.toFixed(1).padStart(6)} |`,
      );
    }
    const ratio = Math.round((rate(full) / rate(raw)) * 1000) / 1000;
    const share = Math.round((rate(full) / rate(physical)) * 1000) / 1000;
    const settings = durability.rows.map((row) => `${row.name}=${row.setting}`).join(', ');
    console.log(`\nratio to the raw ceiling: ${ratio} (target ≥ 0.35)`);
    console.log(`share of the physical single-row ceiling: ${share} (${settings})`);
    console.log(
      `RESULT ${JSON.stringify({
        kafka: kafkaKind,
        inline,
        commands: full.commands,
        connections,
        commandsPerSecond: rate(full),
        p50Ms: Math.round(percentile(full.latenciesMs, 50) * 10) / 10,
        p99Ms: Math.round(percentile(full.latenciesMs, 99) * 10) / 10,
        rawCeilingPerSecond: rate(raw),
        ratioToCeiling: ratio,
        singleRowCeilingPerSecond: rate(physical),
        shareOfSingleRowCeiling: share,
        brokerCpuCoresDuringCommands: Math.round((brokerCpuSeconds / full.seconds) * 1000) / 1000,
        placeShip: {
          commands: lifecycle.commands,
          commandsPerSecond: rate(lifecycle),
          p50Ms: Math.round(percentile(lifecycle.latenciesMs, 50) * 10) / 10,
          p99Ms: Math.round(percentile(lifecycle.latenciesMs, 99) * 10) / 10,
        },
      })}`,
    );
  } finally {
    await identity.stop();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map(
        (c) => new Promise((resolve) => (c.exitCode === null ? c.once('exit', resolve) : resolve(null))),
      ),
    );
    await broker.stop();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}
