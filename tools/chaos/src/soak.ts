import { readFileSync } from 'node:fs';
import { check } from './checker/check';
import { FAULTS, type FaultContext } from './faults';
import type { LagProbe } from './lag-probe';
import type { Load } from './load/load';
import { loadAverage } from './report';
import { projectionGroupLag, reviveTheDead, untilQuiet } from './run-fault';

interface Sample {
  atMs: number;
  /** Resident memory per service, MB. */
  rssMb: Record<string, number>;
  /** The worst event-loop lag p99 across services, ms. */
  loopLagMs: number;
  writeDbMb: number;
  readDbMb: number;
  outboxRows: number;
  /** The oldest acknowledged order not yet visible, ms; and the projections' groups' lag, messages. */
  projectionLagMs: number;
  groupLag: number;
  load: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SOAK_FAULTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12];

function rssMb(pid: number | undefined): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

async function loopLagMs(url: string): Promise<number> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2000) })).text();
    const match = /^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? ([\d.e+-]+)$/m.exec(text);
    return match ? Number(match[1]) * 1000 : 0;
  } catch {
    return 0;
  }
}

async function sample(ctx: FaultContext, probe: LagProbe, startedAt: number): Promise<Sample> {
  const { system } = ctx;
  const services = system.services();
  const rss: Record<string, number> = {};
  for (const service of services) rss[service.name] = rssMb(service.child.pid);
  const lags = await Promise.all(services.map((s) => loopLagMs(s.url)));
  const size = async (pool: typeof system.writeDb, sql: string) =>
    pool.query<{ n: string }>(sql).then(
      (r) => Number(r.rows[0]?.n),
      () => -1,
    );
  return {
    atMs: Date.now() - startedAt,
    rssMb: rss,
    loopLagMs: Math.round(Math.max(0, ...lags)),
    writeDbMb: Math.round(
      (await size(system.writeDb, `SELECT pg_database_size(current_database()) AS n`)) / 1048576,
    ),
    readDbMb: Math.round(
      (await size(system.readDb, `SELECT pg_database_size(current_database()) AS n`)) / 1048576,
    ),
    outboxRows: await size(system.writeDb, `SELECT count(*) AS n FROM outbox`),
    projectionLagMs: probe.oldestWaitMs(),
    groupLag: await projectionGroupLag(system.kafka.bootstrap).catch(() => -1),
    load: loadAverage(),
  };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/** A series rises if, past the warm-up, its second half's mean is 25% and `floor` above its first half's. */
function rising(name: string, values: number[], floor: number): string | null {
  const steady = values.slice(Math.ceil(values.length / 5));
  const half = Math.floor(steady.length / 2);
  if (half < 2) return null;
  const [first, second] = [mean(steady.slice(0, half)), mean(steady.slice(half))];
  return second > first * 1.25 && second - first > floor
    ? `${name}: ${first.toFixed(0)} → ${second.toFixed(0)} (second half of the run against the first)`
    : null;
}

/**
 * The soak: moderate steady load for `durationMs`, a random fault of the matrix every one to two and a half
 * minutes, a sample every 30 s (memory, event-loop lag, database and outbox sizes, projection lag), then the
 * checker. Flags a series that keeps rising after the warm-up; the event store grows by design and is not flagged.
 */
export async function runSoak(
  ctx: FaultContext,
  load: Load,
  probe: LagProbe,
  durationMs: number,
  say: (line: string) => void,
): Promise<boolean> {
  const startedAt = Date.now();
  const samples: Sample[] = [];
  const faults: string[] = [];
  load.start('soak');
  let nextFaultAt = startedAt + 60_000 + Math.random() * 90_000;
  let nextSampleAt = startedAt;
  while (Date.now() - startedAt < durationMs) {
    await reviveTheDead(ctx);
    if (Date.now() >= nextSampleAt) {
      const s = await sample(ctx, probe, startedAt);
      samples.push(s);
      nextSampleAt += 30_000;
      say(
        `t=${(s.atMs / 60_000).toFixed(1)} min rss ${Object.entries(s.rssMb)
          .map(([n, mb]) => `${n} ${mb}`)
          .join(
            ' ',
          )} MB; loop lag p99 ${s.loopLagMs} ms; write DB ${s.writeDbMb} MB, outbox ${s.outboxRows} rows; read DB ${s.readDbMb} MB; projection lag ${s.projectionLagMs} ms, ${s.groupLag} messages; load ${s.load}`,
      );
    }
    if (Date.now() >= nextFaultAt && Date.now() - startedAt < durationMs - 120_000) {
      const fault = FAULTS.find((f) => f.id === SOAK_FAULTS[Math.floor(Math.random() * SOAK_FAULTS.length)]);
      if (fault) {
        const at = Date.now();
        try {
          await fault.inject(ctx);
          await sleep(fault.holdMs);
          const lifted = Date.now();
          await fault.lift(ctx);
          while (Date.now() - lifted < 120_000 && (probe.oldestWaitMs() >= 1000 || load.retrying > 0))
            await sleep(200);
          await fault.cleanup?.(ctx);
          faults.push(
            `${((at - startedAt) / 60_000).toFixed(1)} min: fault ${fault.id}, recovered in ${((Date.now() - lifted) / 1000).toFixed(1)} s`,
          );
        } catch (error) {
          ctx.notes.push(`soak fault ${fault.id}: ${error instanceof Error ? error.message : String(error)}`);
        }
        say(faults[faults.length - 1] ?? `fault ${fault.id} failed`);
      }
      nextFaultAt = Date.now() + 60_000 + Math.random() * 90_000;
    }
    await sleep(1000);
  }
  await load.stop();
  await untilQuiet(ctx.system, probe, 180_000).catch((error: unknown) => ctx.notes.push(String(error)));
  const result = await check(
    ctx.system.writeDb,
    ctx.system.readDb,
    ctx.system.kafka.bootstrap,
    load.records,
    ctx.injected,
  );
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.rssMb)))].filter(
    (n) => !n.startsWith('projection-service-'),
  );
  const trends = [
    ...names.map((n) =>
      rising(
        `${n} RSS MB`,
        samples.map((s) => s.rssMb[n] ?? 0).filter((mb) => mb > 0),
        30,
      ),
    ),
    rising(
      'event-loop lag p99 ms',
      samples.map((s) => s.loopLagMs),
      20,
    ),
    rising(
      'outbox rows',
      samples.map((s) => s.outboxRows),
      2000,
    ),
    rising(
      'projection lag ms',
      samples.map((s) => s.projectionLagMs),
      1000,
    ),
  ].filter((t): t is string => t !== null);
  process.stdout.write(
    `\n| t (min) | ${names.join(' | ')} | loop lag p99 ms | write DB MB | outbox rows | read DB MB | projection lag ms | load |\n`,
  );
  process.stdout.write(`| -: | ${names.map(() => '-:').join(' | ')} | -: | -: | -: | -: | -: | -: |\n`);
  for (const s of samples.filter((_, i) => i % 4 === 0 || i === samples.length - 1)) {
    process.stdout.write(
      `| ${(s.atMs / 60_000).toFixed(1)} | ${names.map((n) => s.rssMb[n] ?? '').join(' | ')} | ${s.loopLagMs} | ${s.writeDbMb} | ${s.outboxRows} | ${s.readDbMb} | ${s.projectionLagMs} | ${s.load} |\n`,
    );
  }
  process.stdout.write(`\nFaults:\n${faults.map((f) => `- ${f}`).join('\n')}\n`);
  const ok = result.ok && ctx.notes.length === 0 && trends.length === 0;
  if (trends.length > 0)
    process.stdout.write(`\nUpward trends:\n${trends.map((t) => `- ${t}`).join('\n')}\n`);
  if (!result.ok || ctx.notes.length > 0)
    process.stdout.write(
      `\nFailures:\n${[...ctx.notes, ...result.failures].map((f) => `- ${f}`).join('\n')}\n`,
    );
  process.stdout.write(
    `RESULT ${JSON.stringify({ ok, soakMinutes: Math.round(durationMs / 60_000), commands: result.commands, acknowledged: result.acknowledged, lost: result.lost, doubled: result.doubled, mismatchedRows: result.mismatchedRows, faults: faults.length, trends })}\n`,
  );
  return ok;
}
