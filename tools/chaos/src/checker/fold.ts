/**
 * The read models as a clean replay of the events would make them, written here from the read models' documented
 * meaning (docs/services.md, ARCHITECTURE.md), not from their code: the checker must not share a bug with what it
 * checks. Every value is a string (or null), as the comparison reads the read DB's rows.
 */

/** One event as the checker knows it: order events from the write DB, customer events from Kafka. */
export interface CheckedEvent {
  streamId: string;
  version: number;
  /** The event's name: OrderCreated, CustomerRegistered… */
  type: string;
  data: Record<string, unknown>;
  /** ISO time the event was recorded (the CloudEvents time). */
  time: string;
}

export type Row = Record<string, string | null>;

export interface FoldedModels {
  orderSummary: Map<string, Row>;
  customerOrders: Map<string, Row>;
  dailySales: Map<string, Row>;
}

const str = (value: unknown): string => String(value);
const big = (value: unknown): bigint => BigInt(String(value ?? 0));

interface Line {
  sku: string;
  quantity: number;
  unitPrice: number;
}

/** JSON of order lines with their members in one order, for comparing jsonb. */
export function canonicalLines(lines: unknown): string {
  if (!Array.isArray(lines)) return JSON.stringify(lines);
  return JSON.stringify(
    (lines as Line[]).map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice })),
  );
}

/**
 * A line's unit price in minor units, from either version of OrderLineAdded (docs/events.md): v1 has the amount
 * alone (in the order's currency), v2 `{ amount, currency }`, whose currency must be the order's (the domain refuses
 * any other). A v2 line in another currency, or a price of neither shape, folds to NaN: the row cannot match.
 */
function priceOf(data: Record<string, unknown>, row: Row | null): number {
  const price = data['unitPrice'];
  if (typeof price === 'number') return price;
  if (typeof price === 'object' && price !== null && 'amount' in price && 'currency' in price) {
    const { amount, currency } = price as { amount: unknown; currency: unknown };
    return currency === row?.['currency'] ? Number(amount) : Number.NaN;
  }
  return Number.NaN;
}

function foldOrder(events: CheckedEvent[]): Row | null {
  let row: Row | null = null;
  let lines: Line[] = [];
  for (const { type, data, version, time } of events) {
    if (type === 'OrderCreated') {
      lines = [];
      row = {
        order_id: str(data['orderId']),
        customer_id: str(data['customerId']),
        status: 'draft',
        currency: str(data['currency']),
        line_count: '0',
        total: '0',
        created_at: time,
        placed_at: null,
        shipped_at: null,
        cancelled_at: null,
        cancel_reason: null,
        lines_changed_at: null,
      };
    } else if (row === null) {
      continue;
    } else if (type === 'OrderLineAdded') {
      lines = [
        ...lines,
        { sku: str(data['sku']), quantity: Number(data['quantity']), unitPrice: priceOf(data, row) },
      ];
      row['lines_changed_at'] = time;
    } else if (type === 'OrderLineRemoved') {
      lines = lines.filter((line) => line.sku !== data['sku']);
      row['lines_changed_at'] = time;
    } else if (type === 'OrderPlaced') {
      row['status'] = 'placed';
      row['placed_at'] = time;
    } else if (type === 'OrderShipped') {
      row['status'] = 'shipped';
      row['shipped_at'] = time;
    } else if (type === 'OrderCancelled') {
      row['status'] = 'cancelled';
      row['cancelled_at'] = time;
      row['cancel_reason'] = str(data['reason']);
    }
    row['version'] = str(version);
    row['updated_at'] = time;
    row['line_count'] = str(lines.length);
    row['total'] = lines.every((line) => Number.isInteger(line.unitPrice))
      ? str(lines.reduce((sum, line) => sum + BigInt(line.quantity) * BigInt(line.unitPrice), 0n))
      : 'a line without a readable price';
    row['lines'] = canonicalLines(lines);
  }
  return row;
}

/** Order streams' events (each stream's in version order) and customer streams' events, folded into the three models. */
export function foldModels(
  orderStreams: Map<string, CheckedEvent[]>,
  customerStreams: Map<string, CheckedEvent[]>,
): FoldedModels {
  const orderSummary = new Map<string, Row>();
  const customers = new Map<string, Row>();
  const daily = new Map<string, Row>();
  const customer = (id: string): Row => {
    let row = customers.get(id);
    if (!row) {
      row = {
        customer_id: id,
        name: null,
        email: null,
        currency: null,
        credit_limit: null,
        version: '0',
        registered_at: null,
      };
      for (const counter of [
        'draft_count',
        'placed_count',
        'shipped_count',
        'cancelled_count',
        'lifetime_value',
      ])
        row[counter] = '0';
      row['updated_at'] = null;
      customers.set(id, row);
    }
    return row;
  };
  const touch = (row: Row, time: string) => {
    if (row['updated_at'] === null || (row['updated_at'] ?? '') < time) row['updated_at'] = time;
  };
  const add = (row: Row, column: string, by: bigint) => (row[column] = String(big(row[column]) + by));

  for (const events of customerStreams.values()) {
    for (const { type, data, version, time, streamId } of events) {
      const row = customer(streamId);
      if (type === 'CustomerRegistered') {
        row['name'] = str(data['name']);
        row['email'] = str(data['email']);
        row['currency'] = str(data['currency']);
        row['registered_at'] = time;
      }
      if (type === 'CustomerRegistered' || type === 'CustomerCreditLimitChanged') {
        row['credit_limit'] = str(data['creditLimit']);
        row['version'] = str(version);
        touch(row, time);
      }
    }
  }
  for (const [orderId, events] of orderStreams) {
    const summary = foldOrder(events);
    if (summary) orderSummary.set(orderId, summary);
    for (const { type, data, time } of events) {
      const customerId = str(data['customerId']);
      const total = big(data['total']);
      if (type === 'OrderCreated') {
        const row = customer(customerId);
        add(row, 'draft_count', 1n);
        touch(row, time);
        continue;
      }
      if (type !== 'OrderPlaced' && type !== 'OrderShipped' && type !== 'OrderCancelled') continue;
      const row = customer(customerId);
      touch(row, time);
      const day = time.slice(0, 10);
      const currency = str(data['currency']);
      const dayKey = `${day}/${currency}`;
      let sales = daily.get(dayKey);
      if (!sales) {
        sales = { day, currency };
        for (const c of ['placed', 'shipped', 'cancelled']) {
          sales[`${c}_count`] = '0';
          sales[`${c}_total`] = '0';
        }
        daily.set(dayKey, sales);
      }
      const what = type === 'OrderPlaced' ? 'placed' : type === 'OrderShipped' ? 'shipped' : 'cancelled';
      add(sales, `${what}_count`, 1n);
      add(sales, `${what}_total`, total);
      if (type === 'OrderPlaced') {
        add(row, 'draft_count', -1n);
        add(row, 'placed_count', 1n);
      } else if (type === 'OrderShipped') {
        add(row, 'placed_count', -1n);
        add(row, 'shipped_count', 1n);
        add(row, 'lifetime_value', total);
      } else {
        add(row, data['previousStatus'] === 'draft' ? 'draft_count' : 'placed_count', -1n);
        add(row, 'cancelled_count', 1n);
      }
    }
  }
  return { orderSummary, customerOrders: customers, dailySales: daily };
}

export interface RowDiff {
  mismatched: number;
  /** Rows where the read model counts more than the replay: an effect applied twice. */
  doubled: number;
  examples: string[];
}

/** Compares rows by key, column by column; `doubledIf` tells a row showing an effect applied twice. */
export function diffRows(
  model: string,
  expected: Map<string, Row>,
  actual: Map<string, Row>,
  doubledIf: (got: Row, want: Row) => boolean,
): RowDiff {
  const diff: RowDiff = { mismatched: 0, doubled: 0, examples: [] };
  const note = (text: string) => {
    if (diff.examples.length < 5) diff.examples.push(`${model} ${text}`);
  };
  for (const [key, want] of expected) {
    const got = actual.get(key);
    if (!got) {
      diff.mismatched++;
      note(`${key}: missing`);
      continue;
    }
    const differing = Object.keys(want).filter((column) => (want[column] ?? null) !== (got[column] ?? null));
    if (differing.length === 0) continue;
    diff.mismatched++;
    if (doubledIf(got, want)) diff.doubled++;
    note(`${key}: ${differing.map((c) => `${c} ${String(got[c])} ≠ ${String(want[c])}`).join(', ')}`);
  }
  for (const key of actual.keys()) {
    if (expected.has(key)) continue;
    diff.mismatched++;
    note(`${key}: in the read model, not in the replay`);
  }
  return diff;
}

/** Whether any of `columns`, which only ever grow, is larger in `got`: a behind row has them smaller, never larger. */
export function grewMore(columns: readonly string[]): (got: Row, want: Row) => boolean {
  return (got, want) => columns.some((c) => big(got[c]) > big(want[c]));
}

/** The customer dashboard's orders counted in all: each OrderCreated adds one, nothing takes any away. */
export function moreOrdersCounted(got: Row, want: Row): boolean {
  const all = (row: Row) =>
    ['draft_count', 'placed_count', 'shipped_count', 'cancelled_count'].reduce(
      (sum, c) => sum + big(row[c]),
      0n,
    );
  return all(got) > all(want) || grewMore(['shipped_count', 'cancelled_count', 'lifetime_value'])(got, want);
}

/** An order summary with a line twice, or past the stream's last version. */
export function summaryDoubled(got: Row, want: Row): boolean {
  const skus = (JSON.parse(got['lines'] ?? '[]') as Line[]).map((line) => line.sku);
  return new Set(skus).size !== skus.length || big(got['version']) > big(want['version']);
}
