import type { ProjectedEvent, ProjectionContext } from '../runtime/projection';
import { ProjectionRejectedEvent } from '../runtime/projection';

interface Line {
  sku: string;
  quantity: number;
  unitPrice: number;
}

interface SummaryRow {
  order_id: string;
  customer_id: string;
  status: string;
  currency: string;
  lines: Line[];
  total: number;
  version: number;
  created_at: string;
  updated_at: string;
  placed_at: string | null;
  shipped_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
}

const COLUMNS = [
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
] as const;
const ROWS_PER_STATEMENT = 2000;

const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : String(value);

/**
 * The order-summary projection for a whole batch: the touched rows are read once, every event is folded into them
 * in memory exactly as the per-event SQL would change them, and they are written back with one multi-row upsert.
 * Anything unexpected throws, and the runtime replays the batch event by event.
 */
export async function foldOrderSummaries(
  events: ProjectedEvent[],
  context: ProjectionContext,
): Promise<void> {
  const table = context.table('order_summary');
  // Orders that the batch creates are not read: they cannot have a row yet, and are written with a plain INSERT
  // that fails if one exists after all (the runtime then replays the batch event by event).
  const created = new Set<string>();
  const read = new Set<string>();
  for (const { envelope, event } of events) {
    if (read.has(envelope.subject) || created.has(envelope.subject)) continue;
    (event.type === 'OrderCreated' ? created : read).add(envelope.subject);
  }
  const ids = [...read];
  const existing =
    ids.length === 0
      ? []
      : await context.query<Record<string, unknown>>(
          `SELECT order_id, customer_id, status, currency, lines, total::text AS total, version, created_at,
                  updated_at, placed_at, shipped_at, cancelled_at, cancel_reason
             FROM ${table} WHERE order_id = ANY($1::uuid[])`,
          [ids],
        );
  const rows = new Map<string, SummaryRow>();
  for (const r of existing) {
    rows.set(String(r['order_id']), {
      order_id: String(r['order_id']),
      customer_id: String(r['customer_id']),
      status: String(r['status']),
      currency: String(r['currency']),
      lines: r['lines'] as Line[],
      total: Number(r['total']),
      version: Number(r['version']),
      created_at: iso(r['created_at']) ?? '',
      updated_at: iso(r['updated_at']) ?? '',
      placed_at: iso(r['placed_at']),
      shipped_at: iso(r['shipped_at']),
      cancelled_at: iso(r['cancelled_at']),
      cancel_reason: (r['cancel_reason'] as string | null) ?? null,
    });
  }
  for (const { envelope, event } of events) {
    const { streamVersion: version, time } = envelope;
    if (event.type === 'OrderCreated') {
      if (rows.has(event.data.orderId)) throw new ProjectionRejectedEvent('order summary exists already');
      rows.set(event.data.orderId, {
        order_id: event.data.orderId,
        customer_id: event.data.customerId,
        status: 'draft',
        currency: event.data.currency,
        lines: [],
        total: 0,
        version,
        // The list keyset, at millisecond precision as the per-event path stores it.
        created_at: new Date(time).toISOString(),
        updated_at: time,
        placed_at: null,
        shipped_at: null,
        cancelled_at: null,
        cancel_reason: null,
      });
      continue;
    }
    const row = rows.get(envelope.subject);
    if (!row) throw new ProjectionRejectedEvent(`${event.type}: no order summary`);
    row.version = version;
    row.updated_at = time;
    switch (event.type) {
      case 'OrderLineAdded':
        row.lines.push({
          sku: event.data.sku,
          quantity: event.data.quantity,
          unitPrice: event.data.unitPrice,
        });
        row.total += event.data.quantity * event.data.unitPrice;
        break;
      case 'OrderLineRemoved':
        row.lines = row.lines.filter((l) => l.sku !== event.data.sku);
        row.total = row.lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
        break;
      case 'OrderPlaced':
        row.status = 'placed';
        row.placed_at = time;
        break;
      case 'OrderShipped':
        row.status = 'shipped';
        row.shipped_at = time;
        break;
      case 'OrderCancelled':
        row.status = 'cancelled';
        row.cancelled_at = time;
        row.cancel_reason = event.data.reason;
        break;
      default:
        break;
    }
  }
  const touched = [...rows.values()];
  for (let i = 0; i < touched.length; i += ROWS_PER_STATEMENT) {
    const chunk = touched.slice(i, i + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    const valuesOf = (r: SummaryRow): string => {
      const p = params.length;
      params.push(
        r.order_id,
        r.customer_id,
        r.status,
        r.currency,
        JSON.stringify(r.lines),
        r.lines.length,
        r.total,
        r.version,
        r.created_at,
        r.updated_at,
        r.placed_at,
        r.shipped_at,
        r.cancelled_at,
        r.cancel_reason,
      );
      return `(${COLUMNS.map((c, k) => `$${p + k + 1}${c === 'lines' ? '::jsonb' : ''}`).join(', ')})`;
    };
    const fresh = chunk.filter((r) => created.has(r.order_id)).map(valuesOf);
    const known = chunk.filter((r) => !created.has(r.order_id)).map(valuesOf);
    const insert = `INSERT INTO ${table} (${COLUMNS.join(', ')}) VALUES ${fresh.join(', ')}`;
    const upsert = `INSERT INTO ${table} (${COLUMNS.join(', ')}) VALUES ${known.join(', ')}
       ON CONFLICT (order_id) DO UPDATE SET
         ${COLUMNS.filter((c) => c !== 'order_id')
           .map((c) => `${c} = EXCLUDED.${c}`)
           .join(', ')}`;
    // Both in one statement when there are both (they never touch the same order).
    const sql =
      fresh.length === 0 ? upsert : known.length === 0 ? insert : `WITH created AS (${insert}) ${upsert}`;
    await context.query(sql, params);
  }
}
