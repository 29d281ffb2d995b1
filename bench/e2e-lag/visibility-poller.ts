// The e2e-lag benchmark's watcher, on its own thread so that the command driver's event loop cannot delay it: it
// learns of each answered command (order id, version, the moment its answer arrived) and polls the read DB's
// order_summary rows of the orders that have commands not yet visible, one query per round, until each row's
// version reaches the command's. The query service answers GET /api/orders/{id} from that row and caches nothing,
// so the moment the row shows the version is the moment the write is visible through the query service.
import { parentPort, workerData } from 'node:worker_threads';
import { Client } from 'pg';

export interface PollerJob {
  readDatabaseUrl: string;
  /** Pause between two rounds while something is pending. */
  pollMs: number;
}

/** Main thread to poller. `answeredAtNs` is `process.hrtime.bigint()` as a decimal string (one clock per process). */
export type ToPoller =
  | { type: 'track'; orderId: string; version: number; answeredAtNs: string; measured: boolean }
  | { type: 'finish'; graceMs: number };

/** Poller to main thread. */
export type FromPoller =
  { type: 'ready' } | { type: 'done'; seen: Seen[]; unseen: number; rounds: number; roundTripMs: number[] };

/** A measured command and the `process.hrtime.bigint()` moments (as numbers of ns) of its answer and visibility. */
export interface Seen {
  orderId: string;
  version: number;
  answeredAtNs: number;
  visibleAtNs: number;
}

interface Pending {
  version: number;
  answeredAtNs: bigint;
  measured: boolean;
}

async function run(job: PollerJob): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('visibility-poller runs as a worker thread');
  const client = new Client({
    connectionString: job.readDatabaseUrl,
    application_name: 'bench-e2e-lag-poller',
  });
  await client.connect();

  const pending = new Map<string, Pending[]>();
  const seen: Seen[] = [];
  const roundTripMs: number[] = [];
  let rounds = 0;
  let finishBy: number | null = null;
  let wake: (() => void) | null = null;

  port.on('message', (message: ToPoller) => {
    if (message.type === 'track') {
      const list = pending.get(message.orderId) ?? [];
      list.push({
        version: message.version,
        answeredAtNs: BigInt(message.answeredAtNs),
        measured: message.measured,
      });
      pending.set(message.orderId, list);
    } else {
      finishBy = Date.now() + message.graceMs;
    }
    wake?.();
  });
  port.postMessage({ type: 'ready' } satisfies FromPoller);

  for (;;) {
    if (finishBy !== null && (pending.size === 0 || Date.now() > finishBy)) break;
    if (pending.size === 0) {
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      continue;
    }
    const started = process.hrtime.bigint();
    const { rows } = await client.query<{ order_id: string; version: number }>(
      'SELECT order_id, version FROM order_summary WHERE order_id = ANY($1::uuid[])',
      [[...pending.keys()]],
    );
    const seenAt = process.hrtime.bigint();
    rounds++;
    roundTripMs.push(Number(seenAt - started) / 1e6);
    for (const row of rows) {
      const list = pending.get(row.order_id);
      if (!list) continue;
      const still = list.filter((p) => {
        if (p.version > row.version) return true;
        if (p.measured) {
          seen.push({
            orderId: row.order_id,
            version: p.version,
            answeredAtNs: Number(p.answeredAtNs),
            visibleAtNs: Number(seenAt),
          });
        }
        return false;
      });
      if (still.length > 0) pending.set(row.order_id, still);
      else pending.delete(row.order_id);
    }
    await new Promise((resolve) => setTimeout(resolve, job.pollMs));
  }

  let unseen = 0;
  for (const list of pending.values()) unseen += list.filter((p) => p.measured).length;
  await client.end();
  port.postMessage({ type: 'done', seen, unseen, rounds, roundTripMs } satisfies FromPoller);
}

run(workerData as PollerJob).catch((error: unknown) => {
  parentPort?.postMessage({ type: 'error', error: error instanceof Error ? error.stack : String(error) });
  process.exitCode = 1;
});
