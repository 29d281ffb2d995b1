/**
 * A read model's columns, declared once: the SQL type each is stored as, and the JavaScript value the model's code
 * sees. Everything else (the statements that read and write rows, the check of the migration) is derived from it.
 */
export type ColumnType =
  'uuid' | 'text' | 'char(3)' | 'int' | 'bigint' | 'numeric' | 'jsonb' | 'timestamptz' | 'date';

/** The JavaScript value of a column's type. */
export interface ColumnValues {
  uuid: string;
  text: string;
  'char(3)': string;
  int: number;
  /** Exact while |value| < 2^53; a model whose sums can pass that declares `numeric`. */
  bigint: number;
  /** A decimal string: sums of any size stay exact. */
  numeric: string;
  jsonb: unknown;
  /** An ISO 8601 instant, as the event carried it or as PostgreSQL writes it in JSON. */
  timestamptz: string;
  /** `YYYY-MM-DD`. */
  date: string;
}

/**
 * A column: its SQL type and whether it may be NULL. `V` narrows the JavaScript value where the SQL type says less
 * than the model knows (a `text` holding one of a few statuses, a `jsonb` holding an array of lines); it lives in the
 * type only.
 */
export interface Column<
  T extends ColumnType = ColumnType,
  Nullable extends boolean = boolean,
  V extends ColumnValues[T] = ColumnValues[T],
> {
  readonly type: T;
  readonly nullable: Nullable;
  /** SQL for a new row's value when no change has set it (counter models); also the migration's DEFAULT. */
  readonly default?: string;
  /** Never set: carries `V` for `RowOf`. */
  readonly value?: V;
}

export type Columns = Record<string, Column>;

/** The row type a column declaration describes. */
export type RowOf<C extends Columns> = {
  [K in keyof C]: C[K] extends Column<ColumnType, infer N, infer V> ? (N extends true ? V | null : V) : never;
};

/**
 * A column that always holds a value. Its JavaScript value can be narrowed: `column<'text', OrderStatus>('text')`,
 * `column<'jsonb', Line[]>('jsonb')`.
 */
export function column<T extends ColumnType, V extends ColumnValues[T] = ColumnValues[T]>(
  type: T,
  options: { default?: string } = {},
): Column<T, false, V> {
  return { type, nullable: false, ...options };
}

/** A column that may be NULL. */
export function nullable<T extends ColumnType, V extends ColumnValues[T] = ColumnValues[T]>(
  type: T,
): Column<T, true, V> {
  return { type, nullable: true };
}

/** How a SELECT reads a column so that the JavaScript value is the one `ColumnValues` describes. */
export function readExpression(name: string, col: Column): string {
  switch (col.type) {
    case 'bigint':
    case 'numeric':
      return `${name}::text AS ${name}`;
    case 'date':
    case 'timestamptz':
      // JSON's form of a date or timestamptz is ISO 8601 (a timestamptz with every digit PostgreSQL keeps), whatever
      // the session's DateStyle; a cast to text follows DateStyle.
      return `to_json(${name}) #>> '{}' AS ${name}`;
    default:
      return name;
  }
}

/** The SELECT list that reads every declared column as `RowOf` describes it: what a model's queries select. */
export function selectList(columns: Columns): string {
  return Object.entries(columns)
    .map(([name, col]) => readExpression(name, col))
    .join(', ');
}

/** Rows selected with `selectList`, as the declaration's row type. */
export function rowsOf<C extends Columns>(columns: C, raw: readonly Record<string, unknown>[]): RowOf<C>[] {
  return raw.map((row) => fromDatabase(columns, row) as RowOf<C>);
}

/** The value sent for a column in a statement's array parameter. */
export function writeValue(col: Column, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (col.type === 'jsonb') return JSON.stringify(value);
  return value;
}

/**
 * The rows an INSERT takes (`INSERT INTO t (names) <source>`), their values appended to `params`: `values[r][c]` is
 * row r's value of column `names[c]`, already as `writeValue` sends it. One row is a VALUES list of scalar
 * parameters; more are one unnest of an array parameter per column. A single row is the per-event path's case, and
 * there the arrays cost more than the statement's work: PostgreSQL parses each array and plans a function scan.
 */
export function rowSource(
  names: readonly string[],
  types: readonly ColumnType[],
  values: readonly (readonly unknown[])[],
  params: unknown[],
): string {
  const [only, ...more] = values;
  if (only && more.length === 0) {
    const scalars = names.map((_, c) => {
      params.push(only[c]);
      return `$${params.length}::${types[c]}`;
    });
    return `VALUES (${scalars.join(', ')})`;
  }
  const arrays = names.map((_, c) => {
    params.push(values.map((row) => row[c]));
    return `$${params.length}::${types[c]}[]`;
  });
  return `SELECT * FROM unnest(${arrays.join(', ')}) AS e(${names.join(', ')})`;
}

/** Converts a row as the driver returned it (after `readExpression`) to the model's row. */
export function fromDatabase(columns: Columns, raw: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [name, col] of Object.entries(columns)) {
    const value = raw[name];
    row[name] = value === null || value === undefined ? null : col.type === 'bigint' ? Number(value) : value;
  }
  return row;
}

/** A counter model's column: its type and how the values that changes bring combine. */
export function key<T extends ColumnType>(type: T): Column<T, false> & { role: 'key' } {
  return { type, nullable: false, role: 'key' };
}

/** Changes add to it; a new row starts at 0. */
export function increment<T extends 'int' | 'bigint' | 'numeric'>(
  type: T,
): Column<T, false> & { role: 'increment' } {
  return { type, nullable: false, role: 'increment' };
}

/**
 * The last change that brings a value sets it (in stream order); a change without one leaves it. (`NoInfer`: inside
 * a definition, `N` would otherwise be inferred from the columns' declared type, `boolean`, not from the option.)
 */
export function set<T extends ColumnType, N extends boolean = true>(
  type: T,
  options: { nullable?: N } = {},
): Column<T, NoInfer<N>> & { role: 'set' } {
  return { type, nullable: (options.nullable ?? true) as N, role: 'set' };
}

/** Keeps the greatest value any change brought (times compared as instants). */
export function greatest<T extends ColumnType, N extends boolean = true>(
  type: T,
  options: { nullable?: N } = {},
): Column<T, NoInfer<N>> & { role: 'greatest' } {
  return { type, nullable: (options.nullable ?? true) as N, role: 'greatest' };
}
