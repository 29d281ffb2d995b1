// Catch-up throughput of each projection, applying a log of N events from the start in batches of B (one read-DB
// transaction per batch, with checkpoints), against the raw ceiling: the order-summary rows of each batch written by
// a plain `pg` script as one multi-row INSERT ... ON CONFLICT DO UPDATE. Runs on BENCH_POSTGRES_URL (a server URL;
// a scratch database is created and dropped), else TEST_POSTGRES_URL, else embedded PGlite.
// Usage: npm run bench -- projections [--events N] [--batch B]
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { TandemEvent } from '@tandem/contracts';
import { createTestDatabase } from '@tandem/platform/testing';
import { createReadDataSource, migrateReadDatabase } from '@tandem/read/models';
import { BatchApplier, eventMessage, PROJECTIONS, type IncomingMessage } from '@tandem/read/projections';

function option(args: string[], flag: string, fallback: number): number {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive whole number`);
  return value;
}

interface OrderRow {
  orderId: string;
  customerId: string;
  status: string;
  lines: Array<{ sku: string; quantity: number; unitPrice: number }>;
  total: number;
  version: number;
  time: string;
}

/** Orders of five events each (created, two lines, placed, shipped), interleaved as one partition delivers them. */
function eventLog(count: number): Array<{ event: TandemEvent; message: IncomingMessage }> {
  const customers = Array.from({ length: 1000 }, () => randomUUID());
  const log: Array<{ event: TandemEvent; message: IncomingMessage }> = [];
  const start = Date.parse('2026-01-01T00:00:00Z');
  const open: Array<{ id: string; customerId: string; next: number }> = [];
  let created = 0;
  while (log.length < count) {
    if (open.length < 50) {
      open.push({ id: randomUUID(), customerId: customers[created++ % customers.length] ?? '', next: 0 });
      continue;
    }
    const i = log.length % open.length;
    const order = open[i];
    if (!order) break;
    const { id: orderId, customerId } = order;
    const events: TandemEvent[] = [
      { type: 'OrderCreated', data: { orderId, customerId, currency: 'EUR' } },
      { type: 'OrderLineAdded', data: { orderId, sku: 'A', quantity: 1, unitPrice: 100 } },
      { type: 'OrderLineAdded', data: { orderId, sku: 'B', quantity: 2, unitPrice: 50 } },
      { type: 'OrderPlaced', data: { orderId, customerId, total: 200, currency: 'EUR' } },
      { type: 'OrderShipped', data: { orderId, customerId, total: 200, currency: 'EUR' } },
    ];
    const event = events[order.next];
    if (!event) break;
    order.next += 1;
    log.push({
      event,
      message: eventMessage(event, {
        streamVersion: order.next,
        offset: log.length,
        time: new Date(start + log.length * 100).toISOString(),
      }),
    });
    if (order.next === events.length) open.splice(i, 1);
  }
  return log;
}

/** The raw ceiling: fold each batch into its order rows in memory, then one multi-row upsert per batch. */
async function rawCeiling(url: string, log: ReturnType<typeof eventLog>, batch: number): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE TABLE raw_order_summary (LIKE order_summary INCLUDING ALL)');
  const state = new Map<string, OrderRow>();
  const started = process.hrtime.bigint();
  for (let i = 0; i < log.length; i += batch) {
    const touched = new Map<string, OrderRow>();
    for (const { event, message } of log.slice(i, i + batch)) {
      const id = (event.data as { orderId: string }).orderId;
      const time = String(message.headers['ce_time']);
      let row = state.get(id);
      if (event.type === 'OrderCreated') {
        row = {
          orderId: id,
          customerId: event.data.customerId,
          status: 'draft',
          lines: [],
          total: 0,
          version: 0,
          time,
        };
      }
      if (!row) continue;
      if (event.type === 'OrderLineAdded') {
        row.lines.push({
          sku: event.data.sku,
          quantity: event.data.quantity,
          unitPrice: event.data.unitPrice,
        });
        row.total += event.data.quantity * event.data.unitPrice;
      } else if (event.type === 'OrderPlaced') row.status = 'placed';
      else if (event.type === 'OrderShipped') row.status = 'shipped';
      row.version += 1;
      state.set(id, row);
      touched.set(id, row);
    }
    const rows = [...touched.values()];
    const params: unknown[] = [];
    const values = rows.map((r, n) => {
      params.push(
        r.orderId,
        r.customerId,
        r.status,
        JSON.stringify(r.lines),
        r.lines.length,
        r.total,
        r.version,
        r.time,
      );
      const p = n * 8;
      return `($${p + 1}, $${p + 2}, $${p + 3}, 'EUR', $${p + 4}::jsonb, $${p + 5}, $${p + 6}, $${p + 7}, $${p + 8}, $${p + 8})`;
    });
    await client.query(
      `INSERT INTO raw_order_summary (order_id, customer_id, status, currency, lines, line_count, total, version, created_at, updated_at)
       VALUES ${values.join(', ')}
       ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, lines = EXCLUDED.lines,
         line_count = EXCLUDED.line_count, total = EXCLUDED.total, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
      params,
    );
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await client.end();
  return log.length / seconds;
}

export async function main(args: string[]): Promise<void> {
  const events = option(args, '--events', 500_000);
  const batch = option(args, '--batch', 500);
  const server = process.env['BENCH_POSTGRES_URL'];
  if (server) process.env['TEST_POSTGRES_URL'] = server;
  const database = await createTestDatabase('bench_projections');
  const db = createReadDataSource({ url: database.url, poolSize: 2 });
  const figures: Record<string, number> = {};
  try {
    await db.initialize();
    await migrateReadDatabase(db);
    const log = eventLog(events);
    console.log(
      `${log.length} events, batches of ${batch}, on ${server || process.env['TEST_POSTGRES_URL'] ? 'PostgreSQL' : 'PGlite'}`,
    );
    console.log('projection         events/s');
    for (const projection of Object.values(PROJECTIONS)) {
      const applier = new BatchApplier(db, projection);
      const messages = log.map((l) => l.message).filter((m) => projection.topics.includes(m.topic));
      const started = process.hrtime.bigint();
      for (let i = 0; i < messages.length; i += batch) await applier.apply(messages.slice(i, i + batch));
      const rate = messages.length / (Number(process.hrtime.bigint() - started) / 1e9);
      figures[projection.name] = Math.round(rate);
      console.log(`${projection.name.padEnd(18)} ${Math.round(rate)}`);
    }
    const ceiling = await rawCeiling(database.url, log, batch);
    figures['rawCeiling'] = Math.round(ceiling);
    const ratio = (figures['order-summary'] ?? 0) / ceiling;
    console.log(
      `${'raw pg ceiling'.padEnd(18)} ${Math.round(ceiling)}   (order-summary at ${(ratio * 100).toFixed(0)}% of it)`,
    );
    console.log(
      `RESULT ${JSON.stringify({ events: log.length, batch, eventsPerSecond: figures, ratioToCeiling: Number(ratio.toFixed(3)) })}`,
    );
  } finally {
    if (db.isInitialized) await db.destroy();
    await database.drop();
  }
}
