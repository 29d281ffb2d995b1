import type { Pool } from 'pg';
import {
  canonicalLines,
  diffRows,
  grewMore,
  moreOrdersCounted,
  summaryDoubled,
  type CheckedEvent,
  type FoldedModels,
  type Row,
} from './fold';

const ISO = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;

async function rowsOf(readDb: Pool, sql: string, key: (row: Row) => string): Promise<Map<string, Row>> {
  const { rows } = await readDb.query<Row>(sql);
  return new Map(rows.map((row) => [key(row), row]));
}

export interface ReadSideResult {
  mismatchedRows: number;
  doubled: number;
  failures: string[];
}

/**
 * The read DB against the replay: each model row by row, every projection's checkpoints against the last version of
 * each stream it reads, and the dead letters against the poison that was injected (and nothing else).
 */
export async function checkReadSide(
  readDb: Pool,
  expected: FoldedModels,
  orderStreams: Map<string, CheckedEvent[]>,
  customerStreams: Map<string, CheckedEvent[]>,
  poisonStreams: Set<string>,
): Promise<ReadSideResult> {
  const result: ReadSideResult = { mismatchedRows: 0, doubled: 0, failures: [] };
  const summary = await rowsOf(
    readDb,
    `SELECT order_id::text, customer_id::text, status, currency, lines, line_count::text, total::text, version::text,
            ${['created_at', 'updated_at', 'placed_at', 'shipped_at', 'cancelled_at', 'lines_changed_at'].map(ISO).join(', ')},
            cancel_reason
       FROM order_summary`,
    (row) => String(row['order_id']),
  );
  for (const row of summary.values()) row['lines'] = canonicalLines(row['lines']);
  const customers = await rowsOf(
    readDb,
    `SELECT customer_id::text, name, email, currency, credit_limit::text, draft_count::text, placed_count::text,
            shipped_count::text, cancelled_count::text, lifetime_value::text, version::text,
            ${ISO('registered_at')}, ${ISO('updated_at')}
       FROM customer_orders`,
    (row) => String(row['customer_id']),
  );
  const daily = await rowsOf(
    readDb,
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, currency, placed_count::text, placed_total::text, shipped_count::text,
            shipped_total::text, cancelled_count::text, cancelled_total::text
       FROM daily_sales`,
    (row) => `${String(row['day'])}/${String(row['currency'])}`,
  );
  const diffs = [
    diffRows('order_summary', expected.orderSummary, summary, summaryDoubled),
    diffRows('customer_orders', expected.customerOrders, customers, moreOrdersCounted),
    diffRows(
      'daily_sales',
      expected.dailySales,
      daily,
      grewMore([
        'placed_count',
        'placed_total',
        'shipped_count',
        'shipped_total',
        'cancelled_count',
        'cancelled_total',
      ]),
    ),
  ];
  for (const diff of diffs) {
    result.mismatchedRows += diff.mismatched;
    result.doubled += diff.doubled;
    result.failures.push(...diff.examples);
  }

  const last = (streams: Map<string, CheckedEvent[]>) =>
    new Map([...streams].map(([id, events]) => [id, events[events.length - 1]?.version ?? 0]));
  const orderLast = last(orderStreams);
  const wanted: Record<string, Map<string, number>> = {
    'order-summary': orderLast,
    'daily-sales': orderLast,
    'customer-orders': new Map([...orderLast, ...last(customerStreams)]),
  };
  const { rows: checkpoints } = await readDb.query<{
    projection: string;
    stream_id: string;
    version: number;
  }>(`SELECT projection, stream_id, version FROM projection_checkpoints WHERE projection = ANY($1)`, [
    Object.keys(wanted),
  ]);
  for (const [projection, streams] of Object.entries(wanted)) {
    const got = new Map(
      checkpoints.filter((c) => c.projection === projection).map((c) => [c.stream_id, c.version]),
    );
    const wrong = [...streams].filter(([id, version]) => got.get(id) !== version);
    const extra = [...got.keys()].filter((id) => !streams.has(id));
    if (wrong.length + extra.length > 0) {
      const example = wrong[0]
        ? `${wrong[0][0]} at ${String(got.get(wrong[0][0]))}, not ${wrong[0][1]}`
        : extra[0];
      result.failures.push(
        `${projection}: ${wrong.length} checkpoints not at their stream's last version, ${extra.length} for no stream (${example})`,
      );
    }
  }

  const { rows: letters } = await readDb.query<{ projection: string; stream_id: string | null }>(
    `SELECT projection, stream_id FROM dead_letters WHERE replayed_at IS NULL`,
  );
  const stray = letters.filter((letter) => !poisonStreams.has(letter.stream_id ?? ''));
  if (stray.length > 0) {
    result.failures.push(
      `${stray.length} dead letters for events that were not injected poison (${stray[0]?.projection})`,
    );
  }
  for (const stream of poisonStreams) {
    const by = new Set(letters.filter((l) => l.stream_id === stream).map((l) => l.projection));
    if (by.size !== 3)
      result.failures.push(`poison ${stream} dead-lettered by ${by.size} projections, not 3`);
  }
  return result;
}
