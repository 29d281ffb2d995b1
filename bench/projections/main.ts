// Catch-up throughput of each projection, applying a log of N events from the start in batches of B (one read-DB
// transaction per batch, with checkpoints), against a raw ceiling per projection: the same read-model rows, folded in
// memory and written by a plain `pg` script as one multi-row INSERT ... ON CONFLICT DO UPDATE per batch of B events
// (checked to end equal to the projection's rows). The target (every projection at 50% of its ceiling or more) is
// judged against that ceiling. A second ceiling adds the per-stream checkpoint rows to the same statement: the least
// the exactly-once bookkeeping costs in plain SQL. From it and the rate of decoding alone, the bench prints the most
// any runtime that writes those checkpoints could reach against the raw ceiling. Runs on BENCH_POSTGRES_URL (a
// server URL; a scratch database is created and dropped), else TEST_POSTGRES_URL, else embedded PGlite.
// Usage: npm run bench -- projections [--events N] [--batch B] [--only <projection>]
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { TandemEvent } from '@tandem/contracts';
import { createTestDatabase } from '@tandem/platform/testing';
import { createReadDataSource, migrateReadDatabase } from '@tandem/read/models';
import {
  BatchApplier,
  decodeMessage,
  eventMessage,
  PROJECTIONS,
  type IncomingMessage,
} from '@tandem/read/projections';
import { choiceOption, option } from '../support';

const TARGET = 0.5;

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
      {
        type: 'OrderLineAdded',
        data: { orderId, sku: 'A', quantity: 1, unitPrice: { amount: 100, currency: 'EUR' } },
      },
      {
        type: 'OrderLineAdded',
        data: { orderId, sku: 'B', quantity: 2, unitPrice: { amount: 50, currency: 'EUR' } },
      },
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

type Log = ReturnType<typeof eventLog>;
type Row = Record<string, unknown>;

/**
 * A raw ceiling for one read model: what plain `pg` needs to write the same rows from the same events, batch by
 * batch. The model's final state is kept in memory (so nothing is ever read back), each batch's touched rows are
 * written as one multi-row INSERT ... ON CONFLICT DO UPDATE, one autocommitted statement per batch. It writes no
 * checkpoints, parks nothing and decodes nothing: the runtime's bookkeeping is part of what the ratio measures.
 */
interface Ceiling {
  table: string;
  key: string[];
  columns: string[];
  casts?: Record<string, string>;
  /** Folds one event into the in-memory model; returns the key of the row it touched, if any. */
  fold(event: TandemEvent, time: string, version: number): string | null;
  row(key: string): Row;
}

function orderSummaryCeiling(): Ceiling {
  const rows = new Map<string, Row & { lines: Array<Record<string, unknown>>; total: number }>();
  return {
    table: 'order_summary',
    key: ['order_id'],
    columns: [
      'order_id',
      'customer_id',
      'status',
      'currency',
      'lines',
      'line_count',
      'total',
      'version',
      'created_at',
      'updated_at',
      'placed_at',
      'shipped_at',
      'cancelled_at',
      'cancel_reason',
      'lines_changed_at',
    ],
    casts: { lines: 'jsonb' },
    fold(event, time, version) {
      const id = (event.data as { orderId: string }).orderId;
      if (event.type === 'OrderCreated') {
        rows.set(id, {
          order_id: id,
          customer_id: event.data.customerId,
          status: 'draft',
          currency: event.data.currency,
          lines: [],
          total: 0,
          created_at: time,
          placed_at: null,
          shipped_at: null,
          cancelled_at: null,
          cancel_reason: null,
          lines_changed_at: null,
        });
      }
      const row = rows.get(id);
      if (!row) return null;
      row['version'] = version;
      row['updated_at'] = time;
      if (event.type === 'OrderLineAdded') {
        const { sku, quantity, unitPrice } = event.data;
        row.lines.push({ sku, quantity, unitPrice: unitPrice.amount });
        row.total += quantity * unitPrice.amount;
        row['lines_changed_at'] = time;
      } else if (event.type === 'OrderPlaced') Object.assign(row, { status: 'placed', placed_at: time });
      else if (event.type === 'OrderShipped') Object.assign(row, { status: 'shipped', shipped_at: time });
      else if (event.type !== 'OrderCreated') throw new Error(`the bench log has no ${event.type}`);
      return id;
    },
    row(id) {
      const row = rows.get(id);
      if (!row) throw new Error(`no order ${id}`);
      return { ...row, lines: JSON.stringify(row.lines), line_count: row.lines.length };
    },
  };
}

function customerOrdersCeiling(): Ceiling {
  const rows = new Map<
    string,
    Row & Record<'draft_count' | 'placed_count' | 'shipped_count' | 'lifetime_value', number>
  >();
  return {
    table: 'customer_orders',
    key: ['customer_id'],
    columns: ['customer_id', 'draft_count', 'placed_count', 'shipped_count', 'lifetime_value', 'updated_at'],
    fold(event, time) {
      if (event.type === 'OrderLineAdded') return null;
      if (!('customerId' in event.data)) throw new Error(`the bench log has no ${event.type}`);
      const id = event.data.customerId;
      let row = rows.get(id);
      if (!row) {
        row = { customer_id: id, draft_count: 0, placed_count: 0, shipped_count: 0, lifetime_value: 0 };
        rows.set(id, row);
      }
      row['updated_at'] = time;
      if (event.type === 'OrderCreated') row.draft_count += 1;
      else if (event.type === 'OrderPlaced') {
        row.draft_count -= 1;
        row.placed_count += 1;
      } else if (event.type === 'OrderShipped') {
        row.placed_count -= 1;
        row.shipped_count += 1;
        row.lifetime_value += event.data.total;
      } else throw new Error(`the bench log has no ${event.type}`);
      return id;
    },
    row: (id) => rows.get(id) ?? {},
  };
}

function dailySalesCeiling(): Ceiling {
  const rows = new Map<
    string,
    Row & Record<'placed_count' | 'placed_total' | 'shipped_count' | 'shipped_total', number>
  >();
  return {
    table: 'daily_sales',
    key: ['day', 'currency'],
    columns: ['day', 'currency', 'placed_count', 'placed_total', 'shipped_count', 'shipped_total'],
    fold(event, time) {
      if (event.type !== 'OrderPlaced' && event.type !== 'OrderShipped') return null;
      const day = time.slice(0, 10); // the bench's times are UTC ISO strings
      const key = `${day}/${event.data.currency}`;
      let row = rows.get(key);
      if (!row) {
        row = {
          day,
          currency: event.data.currency,
          placed_count: 0,
          placed_total: 0,
          shipped_count: 0,
          shipped_total: 0,
        };
        rows.set(key, row);
      }
      if (event.type === 'OrderPlaced') {
        row.placed_count += 1;
        row.placed_total += event.data.total;
      } else {
        row.shipped_count += 1;
        row.shipped_total += event.data.total;
      }
      return key;
    },
    row: (key) => rows.get(key) ?? {},
  };
}

const CEILINGS: Record<string, () => Ceiling> = {
  'order-summary': orderSummaryCeiling,
  'customer-orders': customerOrdersCeiling,
  'daily-sales': dailySalesCeiling,
};

/**
 * Runs a ceiling into a copy of the projection's table (same columns, constraints and indexes); returns its events per
 * second. With `checkpointsOf`, each batch's statement also upserts the per-stream checkpoint rows the runtime keeps
 * (the streams the batch moved, at their last version) into a copy of the checkpoint table, in the same statement
 * (a data-modifying WITH): the least that exactly-once bookkeeping costs in plain SQL.
 */
async function rawCeiling(
  url: string,
  ceiling: Ceiling,
  log: Log,
  batch: number,
  checkpointsOf: string | null,
): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const raw = `raw_${ceiling.table}${checkpointsOf ? '_checkpointed' : ''}`;
  await copyTable(client, ceiling.table, raw);
  if (checkpointsOf) await copyTable(client, 'projection_checkpoints', `${raw}_checkpoints`);
  const { columns, key } = ceiling;
  const updates = columns.filter((c) => !key.includes(c)).map((c) => `${c} = EXCLUDED.${c}`);
  const started = process.hrtime.bigint();
  for (let i = 0; i < log.length; i += batch) {
    const touched = new Set<string>();
    const streams = new Map<string, number>();
    for (const { event, message } of log.slice(i, i + batch)) {
      const version = Number(message.headers['ce_streamversion']);
      const touchedKey = ceiling.fold(event, String(message.headers['ce_time']), version);
      if (touchedKey !== null) touched.add(touchedKey);
      streams.set(String(message.headers['ce_subject']), version);
    }
    const params: unknown[] = [];
    const values = [...touched].map((k) => {
      const row = ceiling.row(k);
      const at = params.length;
      params.push(...columns.map((c) => row[c] ?? null));
      const casts = ceiling.casts ?? {};
      return `(${columns.map((c, n) => `$${at + n + 1}${casts[c] ? `::${casts[c]}` : ''}`).join(', ')})`;
    });
    const upsert = `INSERT INTO ${raw} (${columns.join(', ')}) VALUES ${values.join(', ')}
       ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
    if (!checkpointsOf) {
      if (values.length > 0) await client.query(upsert, params);
      continue;
    }
    const n = params.length;
    params.push(checkpointsOf, [...streams.keys()], [...streams.values()]);
    await client.query(
      `${values.length > 0 ? `WITH model AS (${upsert}) ` : ''}
       INSERT INTO ${raw}_checkpoints (projection, stream_id, version, updated_at)
       SELECT $${n + 1}, s, v, now() FROM unnest($${n + 2}::text[], $${n + 3}::int[]) AS t(s, v)
       ON CONFLICT (projection, stream_id) DO UPDATE SET version = EXCLUDED.version, updated_at = now()`,
      params,
    );
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Honesty check: the ceiling must have written exactly the rows the projection wrote.
  const same = async (a: string, b: string): Promise<boolean> => {
    const [{ differ }] = (
      await client.query(
        `SELECT (SELECT count(*) FROM (${a} EXCEPT ${b}) a) + (SELECT count(*) FROM (${b} EXCEPT ${a}) b) AS differ`,
      )
    ).rows as Array<{ differ: string }>;
    return Number(differ) === 0;
  };
  const rowsMatch = await same(`TABLE ${raw}`, `TABLE ${ceiling.table}`);
  const checkpointsMatch =
    !checkpointsOf ||
    (await same(
      `SELECT stream_id, version FROM ${raw}_checkpoints`,
      `SELECT stream_id, version FROM projection_checkpoints WHERE projection = '${checkpointsOf}'`,
    ));
  await client.end();
  if (!rowsMatch || !checkpointsMatch)
    throw new Error(`the ${raw} ceiling did not write what the projection wrote`);
  return log.length / seconds;
}

/** An empty copy of a table: columns, constraints, indexes and storage parameters (fillfactor). */
async function copyTable(client: Client, source: string, target: string): Promise<void> {
  const { rows } = await client.query<{ options: string[] | null }>(
    `SELECT reloptions AS options FROM pg_class WHERE oid = $1::regclass`,
    [source],
  );
  const options = rows[0]?.options ?? [];
  await client.query(
    `CREATE TABLE ${target} (LIKE ${source} INCLUDING ALL)${options.length > 0 ? ` WITH (${options.join(', ')})` : ''}`,
  );
}

/** Events per second that decoding and validating alone reach (headers, JSON, schema), on one core. */
function decodingRate(messages: IncomingMessage[]): number {
  for (const message of messages.slice(0, 20_000)) decodeMessage(message); // warm-up
  const started = process.hrtime.bigint();
  let events = 0;
  for (const message of messages) if (decodeMessage(message).kind === 'event') events += 1;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (events !== messages.length) throw new Error('the bench log holds messages that do not decode');
  return messages.length / seconds;
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
    console.log(
      'projection         events/s   raw ceiling   ratio   ceiling with checkpoints   ratio   bound (a)   bound (b)',
    );
    const ceilings: Record<string, number> = {};
    const ratios: Record<string, number> = {};
    const checkpointed: Record<string, number> = {};
    const bounds: Record<string, { checkpoints: number; checkpointsThenDecoding: number }> = {};
    const decoding = decodingRate(log.map((l) => l.message));
    const names = Object.values(PROJECTIONS).map((p) => p.name);
    const only = choiceOption(args, '--only', ['all', ...names], 'all');
    const projections = Object.values(PROJECTIONS).filter((p) => only === 'all' || p.name === only);
    for (const projection of projections) {
      const applier = new BatchApplier(db, projection);
      const ofProjection = log.filter((l) => projection.topics.includes(l.message.topic));
      const messages = ofProjection.map((l) => l.message);
      const started = process.hrtime.bigint();
      for (let i = 0; i < messages.length; i += batch) await applier.apply(messages.slice(i, i + batch));
      const rate = messages.length / (Number(process.hrtime.bigint() - started) / 1e9);
      const makeCeiling = CEILINGS[projection.name];
      if (!makeCeiling) throw new Error(`no raw ceiling for ${projection.name}`);
      const ceiling = await rawCeiling(database.url, makeCeiling(), ofProjection, batch, null);
      const withCheckpoints = await rawCeiling(
        database.url,
        makeCeiling(),
        ofProjection,
        batch,
        projection.name,
      );
      figures[projection.name] = Math.round(rate);
      ceilings[projection.name] = Math.round(ceiling);
      checkpointed[projection.name] = Math.round(withCheckpoints);
      ratios[projection.name] = Number((rate / ceiling).toFixed(3));
      // The most any runtime could reach against the raw ceiling while it writes the per-stream checkpoints in the
      // batch's transaction: (a) however it is built; (b) if it also decodes and validates each event before
      // writing, rather than in parallel with the database.
      const bound = {
        checkpoints: Number((withCheckpoints / ceiling).toFixed(3)),
        checkpointsThenDecoding: Number((1 / (1 / withCheckpoints + 1 / decoding) / ceiling).toFixed(3)),
      };
      bounds[projection.name] = bound;
      const percent = (x: number) => `${(x * 100).toFixed(0)}%`.padStart(5);
      console.log(
        `${projection.name.padEnd(18)} ${String(Math.round(rate)).padStart(8)}   ${String(Math.round(ceiling)).padStart(11)}   ${percent(rate / ceiling)}   ${String(Math.round(withCheckpoints)).padStart(24)}   ${percent(rate / withCheckpoints)}   ${percent(bound.checkpoints).padStart(9)}   ${percent(bound.checkpointsThenDecoding).padStart(9)}`,
      );
    }
    console.log(
      `decoding and validating alone: ${Math.round(decoding)} events/s. Bounds against the raw ceiling for any runtime that writes the per-stream checkpoints in the batch's transaction: (a) the ceiling with checkpoints / the raw ceiling; (b) the same, with decoding done before the writes rather than beside them.`,
    );
    const met = Object.values(ratios).every((r) => r >= TARGET);
    console.log(
      `target: every projection at ${TARGET * 100}% of its ceiling or more: ${met ? 'met' : 'NOT met'}`,
    );
    console.log(
      `RESULT ${JSON.stringify({ events: log.length, batch, eventsPerSecond: figures, rawCeiling: ceilings, ratioToCeiling: ratios, rawCeilingWithCheckpoints: checkpointed, decodingEventsPerSecond: Math.round(decoding), boundsToCeiling: bounds, target: TARGET, met })}`,
    );
  } finally {
    if (db.isInitialized) await db.destroy();
    await database.drop();
  }
}
