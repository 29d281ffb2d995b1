import { fromDatabase, rowSource, selectList, writeValue, type Columns } from './columns';
import {
  ReadModelRejectedEvent,
  type DocumentModel,
  type ModelEvent,
  type ReadModelContext,
  type TypedEvent,
} from './read-model';

/** Rows per statement: one array parameter per column, so this only bounds the size of one statement. */
const ROWS_PER_STATEMENT = 2000;

/**
 * Applies events, in order, to a document model: the rows they touch are read once (except rows the events
 * create), every event is folded into its row by the model's `evolve`, and the rows are written back with one
 * multi-row statement. A batch of one is the per-event path; the runtime calls the same function for both.
 */
export async function applyDocumentModel<E extends TypedEvent>(
  model: DocumentModel<E, Columns>,
  events: readonly ModelEvent<E>[],
  context: ReadModelContext,
): Promise<void> {
  const handled = new Set<string>(model.handles);
  const creating = new Set<string>(model.creates);
  const relevant = events.filter((e) => handled.has(e.event.type));
  if (relevant.length === 0) return;
  const table = context.table(model.table);

  // A row whose first event in the batch creates it is not read: it cannot exist yet, and the plain INSERT below
  // fails if it does after all.
  const created = new Set<string>();
  const toRead = new Set<string>();
  for (const { envelope, event } of relevant) {
    const id = envelope.subject;
    if (created.has(id) || toRead.has(id)) continue;
    (creating.has(event.type) ? created : toRead).add(id);
  }
  const rows = new Map<string, Record<string, unknown>>();
  if (toRead.size > 0) {
    const ids = [...toRead];
    const keyType = model.columns[model.key]?.type;
    // One row (the per-event path) by equality: cheaper to plan than `= ANY` of a one-element array.
    const existing = await context.query<Record<string, unknown>>(
      `SELECT ${selectList(model.columns)} FROM ${table}
        WHERE ${model.key} ${ids.length === 1 ? `= $1::${keyType}` : `= ANY($1::${keyType}[])`}`,
      ids.length === 1 ? ids : [ids],
    );
    for (const raw of existing) rows.set(String(raw[model.key]), fromDatabase(model.columns, raw));
  }

  for (const projected of relevant) {
    const id = projected.envelope.subject;
    const row = rows.get(id) ?? null;
    if (creating.has(projected.event.type)) {
      if (row !== null)
        throw new ReadModelRejectedEvent(`${projected.event.type}: ${model.table} ${id} exists already`);
    } else if (row === null) {
      throw new ReadModelRejectedEvent(
        `${projected.event.type} for ${id}: no ${model.table} row to apply it to`,
      );
    }
    rows.set(id, model.evolve(row as never, projected) as Record<string, unknown>);
  }

  const touched = [...rows.entries()];
  for (let i = 0; i < touched.length; i += ROWS_PER_STATEMENT) {
    const chunk = touched.slice(i, i + ROWS_PER_STATEMENT);
    const fresh = chunk.filter(([id]) => created.has(id)).map(([, row]) => row);
    const known = chunk.filter(([id]) => !created.has(id)).map(([, row]) => row);
    const params: unknown[] = [];
    const insert = fresh.length === 0 ? null : insertRows(model, table, fresh, params);
    const upsert = known.length === 0 ? null : upsertRows(model, table, known, params);
    // Both in one statement when there are both (they never touch the same row).
    const sql = insert && upsert ? `WITH created AS (${insert}) ${upsert}` : (insert ?? upsert ?? '');
    if (context.write) context.write(sql, params);
    else await context.query(sql, params);
  }
}

function sourceOf(columns: Columns, rows: Record<string, unknown>[], params: unknown[]): string {
  const declared = Object.entries(columns);
  const values = rows.map((row) => declared.map(([name, col]) => writeValue(col, row[name])));
  return rowSource(
    declared.map(([name]) => name),
    declared.map(([, col]) => col.type),
    values,
    params,
  );
}

function insertRows(
  model: DocumentModel<TypedEvent, Columns>,
  table: string,
  rows: Record<string, unknown>[],
  params: unknown[],
): string {
  return `INSERT INTO ${table} (${Object.keys(model.columns).join(', ')}) ${sourceOf(model.columns, rows, params)}`;
}

function upsertRows(
  model: DocumentModel<TypedEvent, Columns>,
  table: string,
  rows: Record<string, unknown>[],
  params: unknown[],
): string {
  const others = Object.keys(model.columns).filter((c) => c !== model.key);
  return `${insertRows(model, table, rows, params)}
    ON CONFLICT (${model.key}) DO ${others.length === 0 ? 'NOTHING' : `UPDATE SET ${others.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`}`;
}
