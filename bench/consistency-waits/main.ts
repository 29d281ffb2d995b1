// The attack of issue 12 against read throughput: reads holding a forged consistency token (a version its stream
// never reaches, `Prefer: wait=10`) while normal reads run. The query service runs as a process of its own
// (`dist/apps/query-service/main.js`, or `--main PATH`: a build of an earlier commit, for the figures before), on
// a fresh read DB on real PostgreSQL filled by the real projection runtime. Per configuration: normal reads alone,
// then the same reads with `--attackers` waiting reads kept up (each one that ends is sent again).
// Usage: BENCH_POSTGRES_URL=postgres://... npm run bench -- consistency-waits [--main PATH] [--label NAME]
//        [--seconds 10] [--readers 16] [--attackers 190] [--orders 2000] [--caps default|off]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { Client } from 'pg';
import { encodeConsistencyToken } from '@tandem/contracts';
import { freePort } from '@tandem/dev-stack';
import { createReadDataSource, migrateReadDatabase } from '@tandem/read/models';
import { BatchApplier, eventMessage, PROJECTIONS } from '@tandem/read/projections';
import {
  choiceOption,
  machineCpuSeconds,
  option,
  percentile,
  processCpuSeconds,
  waitHealthy,
} from '../support';

const ROOT = path.resolve(__dirname, '../..');

interface Phase {
  reads: number;
  perSecond: number;
  p50: number;
  p99: number;
  attackReads: number;
  /** Transactions per second the read DB committed (each query outside a transaction is one). */
  dbTransactionsPerSecond: number;
  serviceCpu: number;
  machineBusy: number;
}

/** One GET on a kept-alive connection: the place to add an Authorization header for every request at once. */
function get(agent: Agent, url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function phase(
  api: string,
  orders: string[],
  options: {
    seconds: number;
    readers: number;
    attackers: number;
    pid: number | undefined;
    transactions: () => Promise<number>;
  },
): Promise<Phase> {
  const readAgent = new Agent({ keepAlive: true, maxSockets: options.readers });
  const attackAgent = new Agent({ keepAlive: true, maxSockets: options.attackers + 10 });
  let stop = false;
  let attackReads = 0;
  const forged = (orderId: string) => ({
    'X-Consistency-Token': encodeConsistencyToken({ kind: 'order', streamId: orderId, version: 1_000_000 }),
    Prefer: 'wait=10',
  });
  // Each attacker holds one read at a time, and sends its next one 10 s after the last (the attack: 190
  // reads holding 10 s waits). A read answered at once (over a cap) does not make it send faster.
  const attack = Array.from({ length: options.attackers }, async (_, i) => {
    const orderId = orders[i % orders.length] ?? '';
    while (!stop) {
      const sent = Date.now();
      await get(attackAgent, `${api}/orders/${orderId}`, forged(orderId));
      attackReads += 1;
      while (!stop && Date.now() - sent < 10_000) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  // The attack is in place before the measurement starts.
  if (options.attackers > 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
  const latencies: number[] = [];
  const cpuBefore = processCpuSeconds(options.pid);
  const machineBefore = machineCpuSeconds();
  const transactionsBefore = await options.transactions();
  const started = Date.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.readers }, async (_, worker) => {
      let i = worker;
      while (Date.now() < deadline) {
        const t0 = process.hrtime.bigint();
        const status = await get(readAgent, `${api}/orders/${orders[i % orders.length]}`);
        if (status !== 200) throw new Error(`a normal read answered ${status}`);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        i += options.readers;
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const machineAfter = machineCpuSeconds();
  const transactions = (await options.transactions()) - transactionsBefore;
  const result: Phase = {
    reads: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    p50: Number(percentile(latencies, 50).toFixed(1)),
    p99: Number(percentile(latencies, 99).toFixed(1)),
    attackReads,
    dbTransactionsPerSecond: Math.round(transactions / seconds),
    serviceCpu: Number(((processCpuSeconds(options.pid) - cpuBefore) / seconds).toFixed(2)),
    machineBusy: Number(
      ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)).toFixed(2),
    ),
  };
  stop = true;
  readAgent.destroy();
  attackAgent.destroy();
  await Promise.allSettled(attack);
  return result;
}

export async function main(args: string[]): Promise<void> {
  const serverUrl = process.env['BENCH_POSTGRES_URL'];
  if (!serverUrl) throw new Error('set BENCH_POSTGRES_URL (a real PostgreSQL server) to run this benchmark');
  const seconds = option(args, '--seconds', 10);
  const readers = option(args, '--readers', 16);
  const attackers = option(args, '--attackers', 190);
  const orderCount = option(args, '--orders', 2000);
  const caps = choiceOption(args, '--caps', ['default', 'off'] as const, 'default');
  const mainIndex = args.indexOf('--main');
  const main =
    mainIndex >= 0
      ? path.resolve(args[mainIndex + 1] ?? '')
      : path.join(ROOT, 'dist/apps/query-service/main.js');
  const labelIndex = args.indexOf('--label');
  const label = labelIndex >= 0 ? (args[labelIndex + 1] ?? 'this') : 'this commit';
  if (mainIndex < 0)
    execFileSync(process.execPath, ['tools/build/build.mjs', 'query-service'], {
      cwd: ROOT,
      stdio: 'ignore',
    });

  const name = `tandem_bench_waits_${randomUUID().slice(0, 8)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let child: ChildProcess | undefined;
  try {
    const db = createReadDataSource({ url: url.toString(), poolSize: 2 });
    await db.initialize();
    await migrateReadDatabase(db);
    const orders = Array.from({ length: orderCount }, () => randomUUID());
    const customerId = randomUUID();
    const applier = new BatchApplier(db, PROJECTIONS['order-summary']);
    for (let i = 0; i < orders.length; i += 500) {
      await applier.apply(
        orders
          .slice(i, i + 500)
          .map((orderId) =>
            eventMessage(
              { type: 'OrderCreated', data: { orderId, customerId, currency: 'EUR' } },
              { streamVersion: 1 },
            ),
          ),
      );
    }
    await db.destroy();

    const port = await freePort();
    child = spawn(process.execPath, [main], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        METRICS_PORT: '0',
        READ_DATABASE_URL: url.toString(),
        LOG_LEVEL: 'warn',
        ...(caps === 'off'
          ? { CONSISTENCY_MAX_WAITS: '100000', CONSISTENCY_MAX_WAITS_PER_PRINCIPAL: '10000' }
          : {}),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitHealthy(base);
    const api = `${base}/api`;
    const pid = child.pid;
    // The statistics collector's view of the bench database (flushed about every second: a small lag).
    const transactions = async () => {
      const rows = await admin.query<{ n: string }>(
        `SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1`,
        [name],
      );
      return Number(rows.rows[0]?.n ?? 0);
    };
    const common = { readers, pid, transactions };
    await phase(api, orders, { ...common, seconds: 2, attackers: 0 }); // warm-up
    const alone = await phase(api, orders, { ...common, seconds, attackers: 0 });
    const attacked = await phase(api, orders, { ...common, seconds, attackers });

    const row = (what: string, p: Phase) =>
      `| ${label} | ${what} | ${p.perSecond} | ${p.p50} | ${p.p99} | ${p.attackReads} | ${p.dbTransactionsPerSecond} | ${p.serviceCpu} | ${p.machineBusy} |`;
    console.log(
      `\nconsistency-waits: ${readers} readers, ${attackers} attackers (caps ${caps}), ${seconds} s each`,
    );
    console.log(
      '| build | load | normal reads/s | p50 ms | p99 ms | attack reads answered | read-DB transactions/s | query-service CPU (cores) | machine busy |',
    );
    console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(row('normal reads alone', alone));
    console.log(row(`+ ${attackers} waiting reads`, attacked));
    console.log(
      `RESULT ${JSON.stringify({ bench: 'consistency-waits', label, caps, readers, attackers, seconds, alone, attacked, ratio: Number((attacked.perSecond / alone.perSecond).toFixed(2)) })}`,
    );
  } finally {
    child?.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}
