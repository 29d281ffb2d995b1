import { Kafka, logLevel } from 'kafkajs';
import { check, type CheckResult, type Injected } from './checker/check';
import type { Fault, FaultContext } from './faults';
import type { LagProbe } from './lag-probe';
import type { Load } from './load/load';
import { waitReady, type ChaosSystem } from './system';

/** One row of the table: a fault under load, then the check of everything after a quiet period. */
export interface FaultRow {
  id: number;
  fault: string;
  commands: number;
  acknowledged: number;
  /** Acknowledged commands of this fault's phase that the check did not find. */
  lost: number;
  doubled: number;
  mismatchedRows: number;
  /** Largest lag of a command acknowledged from the fault's start until its recovery. */
  maxLagMs: number;
  /**
   * From the moment the fault is lifted (the killed process started again, the network restored…) until every
   * command acknowledged is visible in the read model again and no command is being retried.
   */
  recoveryMs: number | null;
  duplicatesOnKafka: number;
  failures: string[];
  ok: boolean;
}

export interface RunSettings {
  /** Load before the fault, and after the recovery. */
  warmMs: number;
  tailMs: number;
  /** How long the system may take to recover, then to go quiet. */
  recoveryTimeoutMs: number;
  quietTimeoutMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The projections' consumer groups, named after the topics they read (docs/services.md), and those topics. */
const PROJECTION_GROUPS: Record<string, string[]> = {
  'tandem.projection.order-summary.order-v2': ['orders.order.v2'],
  'tandem.projection.daily-sales.order-v2': ['orders.order.v2'],
  'tandem.projection.customer-orders.customer-v1.order-v2': ['orders.order.v2', 'orders.customer.v1'],
};

/** Total lag of the projections' consumer groups, in messages (committed offsets against the log ends). */
export async function projectionGroupLag(bootstrap: string): Promise<number> {
  const admin = new Kafka({
    clientId: 'chaos-checker',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    let lag = 0;
    const ends = new Map<string, Map<number, number>>();
    for (const topic of ['orders.order.v2', 'orders.customer.v1']) {
      ends.set(
        topic,
        new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])),
      );
    }
    for (const [groupId, topics] of Object.entries(PROJECTION_GROUPS)) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
        for (const p of partitions) {
          const end = ends.get(topic)?.get(p.partition) ?? 0;
          lag += Math.max(0, end - Math.max(0, Number(p.offset)));
        }
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the outbox is drained, every acknowledged order is visible and the projections' groups have no lag. */
export async function untilQuiet(system: ChaosSystem, probe: LagProbe, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const unpublished = await system.writeDb
      .query<{ n: string }>(
        `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL OR latest_published_at IS NULL`,
      )
      .then(
        (r) => Number(r.rows[0]?.n),
        () => -1,
      );
    const lag =
      unpublished === 0 && probe.pending === 0
        ? await projectionGroupLag(system.kafka.bootstrap).catch(() => -1)
        : -1;
    if (lag === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `not quiet within ${timeoutMs} ms (outbox ${unpublished}, pending ${probe.pending}, lag ${lag})`,
      );
    await sleep(500);
  }
}

/**
 * A service found dead that the fault did not kill died of it (a crash): that fails the fault, and the service is
 * started again so that the next fault finds the system whole.
 */
export async function reviveTheDead(ctx: FaultContext): Promise<void> {
  for (const app of ['gateway', 'command-service', 'query-service', 'projection-service'] as const) {
    const service = ctx.system.stack.processes[app];
    if (service.child.exitCode === null && service.child.signalCode === null) continue;
    const how = service.child.exitCode ?? service.child.signalCode;
    ctx.notes.push(`${app} died during the fault (exit ${String(how)}): see the services' output`);
    await waitReady(ctx.system.stack.respawn(app), 120_000).catch((error: unknown) =>
      ctx.notes.push(`${app} did not come back: ${String(error)}`),
    );
  }
}

export async function runFault(
  fault: Fault,
  ctx: FaultContext,
  load: Load,
  probe: LagProbe,
  settings: RunSettings,
  /** Tells this run of the fault from another run of it (the records are kept per phase). */
  phase: string,
): Promise<FaultRow> {
  const notesBefore = ctx.notes.length;
  load.start(phase);
  await sleep(settings.warmMs);
  const injectedAt = Date.now();
  ctx.log(`fault ${fault.id}: ${fault.name}`);
  let faultError: string | null = null;
  let liftingAt = Date.now();
  try {
    await fault.inject(ctx);
    await sleep(fault.holdMs);
    liftingAt = Date.now();
    await fault.lift(ctx);
  } catch (error) {
    faultError = error instanceof Error ? error.message : String(error);
    ctx.log(`fault ${fault.id} went wrong: ${faultError}`);
  }
  const liftedAt = Date.now();
  let recoveredAt: number | null = null;
  while (Date.now() - liftedAt < settings.recoveryTimeoutMs) {
    if (probe.oldestWaitMs() < 1000 && load.retrying === 0) {
      recoveredAt = Date.now();
      break;
    }
    await sleep(100);
  }
  await sleep(settings.tailMs);
  await load.stop();
  await reviveTheDead(ctx);
  let quietError: string | null = null;
  await untilQuiet(ctx.system, probe, settings.quietTimeoutMs).catch((error: unknown) => {
    quietError = error instanceof Error ? error.message : String(error);
  });
  const result: CheckResult = await check(
    ctx.system.writeDb,
    ctx.system.readDb,
    ctx.system.kafka.bootstrap,
    load.records,
    ctx.injected,
  );
  await fault
    .cleanup?.(ctx)
    .catch((error: unknown) => ctx.notes.push(`cleanup of fault ${fault.id}: ${String(error)}`));
  const records = load.of(phase).filter((r) => r.kind !== 'Read');
  const lostHere = new Set(result.lostKeys);
  const failures = [
    ...(faultError ? [`the fault itself failed: ${faultError}`] : []),
    ...(quietError ? [quietError] : []),
    ...(recoveredAt === null ? [`no recovery within ${settings.recoveryTimeoutMs} ms`] : []),
    ...ctx.notes.slice(notesBefore),
    ...result.failures,
  ];
  return {
    id: fault.id,
    fault: fault.name,
    commands: records.length,
    acknowledged: records.filter((r) => r.outcome === 'acknowledged').length,
    lost: records.filter((r) => lostHere.has(r.key)).length,
    doubled: result.doubled,
    mismatchedRows: result.mismatchedRows,
    maxLagMs: probe.maxLagMs(injectedAt, recoveredAt ?? liftedAt),
    recoveryMs: recoveredAt === null ? null : recoveredAt - liftingAt,
    duplicatesOnKafka: result.duplicatesOnKafka,
    failures,
    ok: failures.length === 0 && result.ok,
  };
}

export type { Injected };
