import { rowSource, writeValue } from './columns';
import { laterTime } from './event-time';
import {
  changesOf,
  type CounterColumns,
  type CounterModel,
  type ModelEvent,
  type ReadModelContext,
  type TypedEvent,
} from './read-model';

type Value = unknown;

/** One row's folded changes. */
interface Folded {
  values: Map<string, Value>;
}

/**
 * Applies events, in order, to a counter model: each event's changes come from the model's change table, changes
 * to the same row are folded here (increments summed, exactly, as BigInt for numeric columns; the last `set` value
 * kept; the greatest `greatest` value kept), and the rows are written with upserts that combine them with what is
 * stored the same way, with no read. Rows that set different columns go in separate INSERTs of one statement, so a
 * column a change did not bring is left as it is (and a new row takes the column's default).
 */
export async function applyCounterModel<E extends TypedEvent>(
  model: CounterModel<E, CounterColumns>,
  events: readonly ModelEvent<E>[],
  context: ReadModelContext,
): Promise<void> {
  const params: unknown[] = [];
  const statements = counterModelWrites(model, events, { table: context.table(model.table), params });
  const last = statements.pop();
  if (last === undefined) return;
  const sql =
    statements.length === 0
      ? last
      : `WITH ${statements.map((s, i) => `shape${i} AS (${s})`).join(', ')} ${last}`;
  if (context.write) context.write(sql, params);
  else await context.query(sql, params);
}

export interface CounterWritesOptions {
  /** The table written (the model's own, or a copy). */
  table: string;
  /** The statements' parameters are appended here, numbered after those already in it. */
  params: unknown[];
  /** An SQL condition every row written must meet: the writes of a larger statement, made to wait for part of it. */
  when?: string;
}

/**
 * The writes `applyCounterModel` makes, as data-modifying statements (none when no event changes a row) for a
 * caller that sends them inside a statement of its own: each as a `WITH` part, never nested in another's. Each
 * statement writes other rows, so they can run in any order.
 */
export function counterModelWrites<E extends TypedEvent>(
  model: CounterModel<E, CounterColumns>,
  events: readonly ModelEvent<E>[],
  options: CounterWritesOptions,
): string[] {
  const names = Object.keys(model.columns);
  const keys = names.filter((n) => model.columns[n]?.role === 'key');
  const setColumns = names.filter((n) => model.columns[n]?.role === 'set');
  const rows = new Map<string, Folded>();
  for (const event of events) {
    for (const change of changesOf(model, event)) {
      fold(model.name, model.columns, keys, rows, change as Record<string, Value>);
    }
  }
  if (rows.size === 0) return [];

  // Rows grouped by the `set` columns they bring (every other column is in every row's INSERT): each group is one
  // INSERT … ON CONFLICT. A row's shape names which `set` columns it has, one digit each; its columns are listed
  // once per shape.
  const shapes = new Map<string, { columns: string[]; rows: Folded[] }>();
  for (const row of rows.values()) {
    let shape = '';
    for (const name of setColumns) shape += row.values.has(name) ? '1' : '0';
    let group = shapes.get(shape);
    if (group === undefined) {
      const columns = names.filter((n) => model.columns[n]?.role !== 'set' || row.values.has(n));
      group = { columns, rows: [] };
      shapes.set(shape, group);
    }
    group.rows.push(row);
  }
  const { table, params, when } = options;
  return [...shapes.values()].map(({ columns, rows: group }) => {
    const declared = columns.map((name) => model.columns[name] as CounterColumns[string]);
    const values = group.map((row) => {
      const written: unknown[] = [];
      for (let c = 0; c < columns.length; c++) {
        const col = declared[c] as CounterColumns[string];
        const value = row.values.get(columns[c] as string);
        written.push(col.role === 'increment' ? (value ?? 0).toString() : writeValue(col, value));
      }
      return written;
    });
    const types = declared.map((col) => col.type);
    const rows = rowSource(columns, types, values, params);
    // A guard needs a SELECT to hang its WHERE on: one row comes as VALUES, which takes none.
    const source = !when
      ? rows
      : rows.startsWith('VALUES')
        ? `SELECT * FROM (${rows}) AS e(${columns.join(', ')}) WHERE ${when}`
        : `${rows} WHERE ${when}`;
    const updates = columns.flatMap((name) => {
      switch (model.columns[name]?.role) {
        case 'increment':
          return [`${name} = t.${name} + EXCLUDED.${name}`];
        case 'greatest':
          return [`${name} = GREATEST(t.${name}, EXCLUDED.${name})`];
        case 'set':
          return [`${name} = EXCLUDED.${name}`];
        default:
          return [];
      }
    });
    return `INSERT INTO ${table} AS t (${columns.join(', ')}) ${source}
      ON CONFLICT (${keys.join(', ')}) DO ${updates.length === 0 ? 'NOTHING' : `UPDATE SET ${updates.join(', ')}`}`;
  });
}

function fold(
  modelName: string,
  columns: CounterColumns,
  keys: string[],
  rows: Map<string, Folded>,
  change: Record<string, Value>,
): void {
  // The hot loop of a batch: no allocation per change beyond the row's own values.
  let id = '';
  for (let k = 0; k < keys.length; k++) {
    const value = change[keys[k] as string];
    if (value === undefined || value === null)
      throw new Error(`${modelName}: a change without its key ${keys[k]}`);
    id = k === 0 ? String(value) : `${id}\u0000${String(value)}`;
  }
  let row = rows.get(id);
  if (!row) {
    const initial = new Map<string, Value>();
    for (const k of keys) initial.set(k, change[k]);
    row = { values: initial };
    rows.set(id, row);
  }
  const { values } = row;
  for (const name in change) {
    const value = change[name];
    const col = columns[name];
    if (!col) throw new Error(`${modelName}: a change to ${name}, which is not a column`);
    if (value === undefined) continue;
    // A key column is the row's already; a `set` value needs nothing of what the row holds.
    switch (col.role) {
      case 'increment':
        values.set(name, add(col.type, values.get(name), value, modelName, name));
        break;
      case 'set':
        values.set(name, value);
        break;
      case 'greatest': {
        const before = values.get(name);
        values.set(name, before === undefined ? value : greater(col.type, before, value));
        break;
      }
    }
  }
}

function add(type: string, before: Value, value: Value, modelName: string, name: string): Value {
  if (type === 'numeric') {
    return (before === undefined ? 0n : (before as bigint)) + BigInt(value as number | bigint | string);
  }
  const sum = (before === undefined ? 0 : (before as number)) + Number(value);
  if (!Number.isSafeInteger(sum))
    throw new RangeError(`${modelName}.${name}: ${sum} is past exact integers; declare it numeric`);
  return sum;
}

function greater(type: string, a: Value, b: Value): Value {
  if (type === 'timestamptz') return laterTime(a as string, b as string);
  if (type === 'numeric') return BigInt(b as string) > BigInt(a as string) ? b : a;
  if (typeof a === 'number' && typeof b === 'number') return b > a ? b : a;
  return String(b) > String(a) ? b : a;
}
