import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import type { Injected } from './checker/check';
import { OPERATOR, send } from './load/http';
import { waitReady, type ChaosSystem } from './system';

export interface FaultContext {
  system: ChaosSystem;
  injected: Injected;
  log: (line: string) => void;
  /** Problems the fault itself saw (a service that did not exit cleanly on SIGTERM): they fail the run. */
  notes: string[];
}

/** One row of the matrix: what breaks (`inject`), how long it stays broken, and how it is mended (`lift`). */
export interface Fault {
  id: number;
  name: string;
  holdMs: number;
  inject(ctx: FaultContext): Promise<void>;
  lift(ctx: FaultContext): Promise<void>;
  /** After the check: back to the baseline of one replica per service. */
  cleanup?(ctx: FaultContext): Promise<void>;
}

type AppName = 'gateway' | 'command-service' | 'query-service' | 'projection-service';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function kill(ctx: FaultContext, app: AppName): Promise<void> {
  const victim = ctx.system.stack.processes[app];
  victim.child.kill('SIGKILL');
  await victim.exited;
}

async function respawn(ctx: FaultContext, app: AppName): Promise<void> {
  await waitReady(ctx.system.stack.respawn(app), 120_000);
}

async function stopReplicas(ctx: FaultContext): Promise<void> {
  for (const replica of [...ctx.system.replicas]) await replica.stop();
}

async function addReplica(ctx: FaultContext): Promise<void> {
  await waitReady(await ctx.system.spawnProjectionReplica(), 120_000);
}

/** Terminates every connection to the read DB, again and again, until `stop` is called. */
function terminateReadConnections(ctx: FaultContext): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    const admin = new Client({ connectionString: ctx.system.sharedPostgresUrl });
    await admin.connect();
    try {
      while (running) {
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [ctx.system.readDatabaseName],
        );
        await sleep(200);
      }
    } finally {
      await admin.end();
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

let stopTerminating: (() => Promise<void>) | null = null;

async function untilRebuilt(names: string[], since: number): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const answer = await send('GET', '/api/admin/projections', undefined, OPERATOR).catch(() => null);
    const projections =
      (
        answer?.body as
          | {
              projections?: Array<{
                name: string;
                lastRebuild: { startedAt: string; outcome: string; error: string | null } | null;
              }>;
            }
          | undefined
      )?.projections ?? [];
    const done = names.filter((name) => {
      const last = projections.find((p) => p.name === name)?.lastRebuild;
      if (last && Date.parse(last.startedAt) >= since - 1000 && last.outcome === 'failed') {
        throw new Error(`the rebuild of ${name} failed: ${last.error ?? '?'}`);
      }
      return last?.outcome === 'swapped' && Date.parse(last.startedAt) >= since - 1000;
    });
    if (done.length === names.length) return;
    if (Date.now() > deadline)
      throw new Error(`rebuilds not swapped in within 180 s (${done.join(', ')} done)`);
    await sleep(500);
  }
}

async function injectPoison(ctx: FaultContext): Promise<void> {
  const kafka = new Kafka({
    clientId: 'chaos-poison',
    brokers: [ctx.system.kafka.bootstrap],
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer();
  await producer.connect();
  try {
    const stream = randomUUID();
    const id = randomUUID();
    // Valid CloudEvents headers, a payload its schema refuses (a negative total, no customer): poison.
    await producer.send({
      // The topic the projections read (orders.order.v2 carries OrderPlaced at v1).
      topic: 'orders.order.v2',
      messages: [
        {
          key: stream,
          value: JSON.stringify({ orderId: stream, total: -5, currency: 'EURO' }),
          headers: {
            ce_specversion: '1.0',
            ce_id: id,
            ce_type: 'tandem.orders.OrderPlaced.v1',
            ce_source: '/chaos/poison',
            ce_subject: stream,
            ce_time: new Date().toISOString(),
            ce_streamversion: '1',
            ce_correlationid: randomUUID(),
            ce_causationid: randomUUID(),
            'content-type': 'application/json',
          },
        },
      ],
    });
    ctx.injected.poisonIds.add(id);
    ctx.injected.poisonStreams.add(stream);
  } finally {
    await producer.disconnect();
  }
}

export const FAULTS: Fault[] = [
  {
    id: 1,
    name: 'kill -9 the command service (relay inside), restart',
    holdMs: 2000,
    inject: (ctx) => kill(ctx, 'command-service'),
    lift: (ctx) => respawn(ctx, 'command-service'),
  },
  {
    id: 2,
    name: 'kill -9 the projection service mid-batch, restart',
    holdMs: 1000,
    inject: (ctx) => kill(ctx, 'projection-service'),
    lift: (ctx) => respawn(ctx, 'projection-service'),
  },
  {
    id: 3,
    name: 'two projection replicas, kill -9 one, back to two',
    holdMs: 2000,
    inject: async (ctx) => {
      await addReplica(ctx);
      await sleep(3000);
      await kill(ctx, 'projection-service');
    },
    lift: (ctx) => respawn(ctx, 'projection-service'),
    cleanup: stopReplicas,
  },
  {
    id: 4,
    name: 'kill -9 the gateway and the query service, restart',
    holdMs: 2000,
    inject: async (ctx) => {
      await kill(ctx, 'gateway');
      await kill(ctx, 'query-service');
    },
    lift: async (ctx) => {
      await respawn(ctx, 'query-service');
      await respawn(ctx, 'gateway');
    },
  },
  {
    id: 5,
    name: 'Kafka killed (-9) and restarted on its data dir',
    holdMs: 5000,
    inject: (ctx) => ctx.system.kafka.kill(),
    lift: (ctx) => ctx.system.kafka.start(),
  },
  {
    id: 6,
    name: 'the write DB restarted (immediate stop, 5 s down)',
    holdMs: 5000,
    inject: async (ctx) => ctx.system.cluster.crash(),
    lift: async (ctx) => ctx.system.cluster.start(),
  },
  {
    id: 7,
    name: "the read DB's connections terminated for 10 s",
    holdMs: 10_000,
    inject: async (ctx) => {
      stopTerminating = terminateReadConnections(ctx);
    },
    lift: async () => {
      await stopTerminating?.();
      stopTerminating = null;
    },
  },
  {
    id: 8,
    name: 'network between the projection service and Kafka cut for 15 s',
    holdMs: 15_000,
    inject: async (ctx) => ctx.system.kafka.proxy.cut('projection-service'),
    lift: async (ctx) => ctx.system.kafka.proxy.restore(),
  },
  {
    id: 9,
    name: 'duplicate delivery: the relay publishes a window of up to 300 events again',
    holdMs: 3000,
    inject: async (ctx) => {
      await ctx.system.writeDb.query(
        // Both deliveries: the relay sends each row again on orders.order.v1 and orders.order.v2.
        `UPDATE outbox SET published_at = NULL, latest_published_at = NULL
          WHERE position IN (SELECT position FROM outbox WHERE published_at IS NOT NULL ORDER BY position DESC LIMIT 300)`,
      );
    },
    lift: async () => undefined,
  },
  {
    id: 10,
    name: 'rebuild of every projection under load, two replicas',
    holdMs: 0,
    inject: async (ctx) => {
      await addReplica(ctx);
      const since = Date.now();
      const names = ['order-summary', 'customer-orders', 'daily-sales'];
      for (const name of names) {
        const answer = await send('POST', `/api/admin/projections/${name}/rebuild`, undefined, OPERATOR);
        if (answer.status !== 202)
          throw new Error(`rebuild of ${name} refused: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      await untilRebuilt(names, since);
    },
    lift: async () => undefined,
    cleanup: stopReplicas,
  },
  {
    id: 11,
    name: 'a poison event among good ones',
    holdMs: 2000,
    inject: injectPoison,
    lift: async () => undefined,
  },
  {
    id: 12,
    name: 'SIGTERM to every service in turn (a rolling restart)',
    holdMs: 0,
    inject: async (ctx) => {
      for (const app of ['gateway', 'query-service', 'command-service', 'projection-service'] as const) {
        const service = ctx.system.stack.processes[app];
        const started = Date.now();
        await service.stop();
        const code = await service.exited;
        ctx.log(`${app} stopped on SIGTERM with ${String(code)} in ${Date.now() - started} ms`);
        if (code !== 0) ctx.notes.push(`${app} exited with ${String(code)} on SIGTERM, not 0`);
        await respawn(ctx, app);
      }
    },
    lift: async () => undefined,
  },
];
