// `npm run chaos`: the fault matrix of issue 13. Starts the system as separate processes (a PostgreSQL cluster of
// its own for the write DB, the read DB on the shared server, Kafka of its own behind a proxy), drives a steady
// command load through the gateway, injects one fault at a time, and after each lets an independent checker compare
// what the API acknowledged with what the system holds. Prints the table and a RESULT line; exits 1 on any loss,
// double, mismatch or failed check. `--ci`: a few faults, for CI. `--soak 30m`: random faults under moderate load for
// that long, with resource figures over time. `--broker dev`: on the development broker instead of Apache Kafka.
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrokerKind } from './chaos-kafka';
import { FAULTS, type FaultContext } from './faults';
import { LagProbe } from './lag-probe';
import { useGateway } from './load/http';
import { Load } from './load/load';
import { loadAverage, matrixTable } from './report';
import { runFault, type FaultRow, type RunSettings } from './run-fault';
import { runSoak } from './soak';
import { startChaosSystem } from './system';

interface Options {
  broker: BrokerKind;
  faults: number[];
  rate: number;
  customers: number;
  ci: boolean;
  soakMs: number | null;
}

const CI_FAULTS = [1, 2, 9, 11, 12];

function parseArgs(argv: string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const ci = argv.includes('--ci');
  const broker = value('--broker') ?? 'apache';
  if (broker !== 'apache' && broker !== 'dev') throw new Error(`--broker needs apache or dev, got ${broker}`);
  const soak = value('--soak');
  let soakMs: number | null = null;
  if (soak !== undefined) {
    const match = /^(\d+)(s|m|h)$/.exec(soak);
    if (!match) throw new Error(`--soak needs a duration like 30m, 90s or 1h, got ${soak}`);
    soakMs = Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
  }
  const faults = value('--faults')?.split(',').map(Number) ?? (ci ? CI_FAULTS : FAULTS.map((f) => f.id));
  for (const id of faults)
    if (!FAULTS.some((f) => f.id === id)) throw new Error(`no fault ${id}; there are 1 to ${FAULTS.length}`);
  const number = (flag: string, fallback: number) => {
    const raw = value(flag);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number`);
    return n;
  };
  return {
    broker,
    faults,
    ci,
    soakMs,
    rate: number('--rate', soakMs ? 10 : ci ? 12 : 20),
    customers: number('--customers', ci ? 6 : 8),
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const logFile = path.join(mkdtempSync(path.join(tmpdir(), 'tandem-chaos-')), 'chaos.log');
  const started = Date.now();
  const say = (line: string) =>
    process.stdout.write(`[chaos +${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
  const log = (line: string) => appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
  say(`services' output: ${logFile}; load average ${loadAverage()}`);
  const soaking = options.soakMs !== null;
  const system = await startChaosSystem({
    broker: options.broker,
    sharedPostgresUrl:
      process.env['CHAOS_POSTGRES_URL'] ??
      process.env['TEST_POSTGRES_URL'] ??
      'postgres://postgres@127.0.0.1:5432/postgres',
    // The soak shows that the outbox stays bounded: a short retention, swept often.
    env: soaking ? { OUTBOX_RETENTION_MINUTES: '5', OUTBOX_SWEEP_INTERVAL_MS: '10000' } : {},
    log: (line) => (line.startsWith('starting') ? say(line) : log(line)),
  });
  let exitCode = 1;
  // Interrupted (Ctrl-C, a timeout's SIGTERM): the cluster, the broker, the services and the read DB still go.
  const interrupted = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping the system`);
    void system.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    useGateway(system.gatewayUrl, (user) => system.stack.tokenFor(user));
    const load = new Load({
      customers: options.customers,
      rate: options.rate,
      readRate: 2,
      retryForMs: 120_000,
    });
    const probe = new LagProbe(system.readDb);
    load.onAcknowledged = (record) => probe.track(record);
    probe.start();
    const ctx: FaultContext = {
      system,
      injected: { poisonIds: new Set(), poisonStreams: new Set() },
      log: (line) => {
        say(line);
        log(line);
      },
      notes: [],
    };
    say(`up on ${system.kafka.name}; ${options.rate} commands/s from ${options.customers} customers`);
    if (options.soakMs !== null) {
      exitCode = (await runSoak(ctx, load, probe, options.soakMs, say)) ? 0 : 1;
      return;
    }
    const settings: RunSettings = options.ci
      ? { warmMs: 3000, tailMs: 2000, recoveryTimeoutMs: 90_000, quietTimeoutMs: 90_000 }
      : { warmMs: 5000, tailMs: 3000, recoveryTimeoutMs: 120_000, quietTimeoutMs: 120_000 };
    const rows: FaultRow[] = [];
    const loads: number[] = [loadAverage()];
    for (const [index, id] of options.faults.entries()) {
      const fault = FAULTS.find((f) => f.id === id);
      if (!fault) continue;
      const row = await runFault(fault, ctx, load, probe, settings, `${index + 1}:${id}`);
      // The check counts the topics' duplicates so far: the row shows this fault's.
      const before = rows.reduce((n, r) => n + r.duplicatesOnKafka, 0);
      row.duplicatesOnKafka -= before;
      loads.push(loadAverage());
      rows.push(row);
      for (const failure of row.failures.slice(0, 8)) say(`  ${failure}`);
      say(
        `fault ${id} ${row.ok ? 'passed' : 'FAILED'}: ${row.acknowledged}/${row.commands} acknowledged, lost ${row.lost}, doubled ${row.doubled}, mismatched ${row.mismatchedRows}, max lag ${row.maxLagMs} ms, recovery ${String(row.recoveryMs)} ms`,
      );
    }
    probe.stop();
    const ok = rows.every((r) => r.ok);
    process.stdout.write(`\n${matrixTable(rows)}\n\n`);
    process.stdout.write(
      `${system.kafka.name}, ${options.rate} commands/s, load average ${loads.map((l) => l.toFixed(1)).join(' → ')}, ${((Date.now() - started) / 60_000).toFixed(1)} min\n`,
    );
    process.stdout.write(
      `RESULT ${JSON.stringify({
        ok,
        broker: system.kafka.name,
        faults: rows.length,
        commands: rows.reduce((n, r) => n + r.commands, 0),
        acknowledged: rows.reduce((n, r) => n + r.acknowledged, 0),
        lost: rows.reduce((n, r) => n + r.lost, 0),
        doubled: Math.max(0, ...rows.map((r) => r.doubled)),
        mismatchedRows: Math.max(0, ...rows.map((r) => r.mismatchedRows)),
        failed: rows.filter((r) => !r.ok).map((r) => r.id),
      })}\n`,
    );
    exitCode = ok ? 0 : 1;
  } finally {
    say('stopping the system');
    await system.stop();
    process.exit(exitCode);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
