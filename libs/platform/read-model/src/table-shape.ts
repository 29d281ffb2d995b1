import type { Column, ColumnType, Columns } from './columns';
import type { CounterColumns } from './read-model';

/** What a model's table check needs of it: any model, whatever its events. */
export type DeclaredTable =
  | { kind: 'document'; table: string; columns: Columns; key: string }
  | { kind: 'counters'; table: string; columns: CounterColumns };

/** A column as `information_schema.columns` describes it. */
export interface ColumnShape {
  name: string;
  dataType: string;
  nullable: boolean;
}

export interface TableShape {
  columns: ColumnShape[];
  primaryKey: string[];
}

const DATA_TYPES: Record<ColumnType, string> = {
  uuid: 'uuid',
  text: 'text',
  'char(3)': 'character(3)',
  int: 'integer',
  bigint: 'bigint',
  numeric: 'numeric',
  jsonb: 'jsonb',
  timestamptz: 'timestamp with time zone',
  date: 'date',
};

/** The table a model's declaration describes, for comparison with what the migrations built. */
export function declaredShape(model: DeclaredTable): TableShape {
  const columns = model.columns as Columns;
  const primaryKey =
    model.kind === 'document'
      ? [model.key]
      : Object.entries(model.columns)
          .filter(([, c]) => c.role === 'key')
          .map(([n]) => n);
  return {
    columns: Object.entries(columns).map(([name, col]: [string, Column]) => ({
      name,
      dataType: DATA_TYPES[col.type],
      nullable: col.nullable,
    })),
    primaryKey,
  };
}

/** Reads a table's shape from the catalog, through any query function (a pg client, a TypeORM data source). */
export async function migratedShape(
  query: (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>,
  table: string,
): Promise<TableShape> {
  const columns = await query(
    `SELECT column_name AS name,
            CASE WHEN data_type = 'character' THEN 'character(' || character_maximum_length || ')' ELSE data_type END
              AS "dataType",
            is_nullable = 'YES' AS nullable
       FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1
      ORDER BY ordinal_position`,
    [table],
  );
  const key = await query(
    `SELECT a.attname AS name
       FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = to_regclass($1) AND i.indisprimary
      ORDER BY array_position(i.indkey, a.attnum)`,
    [table],
  );
  return {
    columns: columns.map((c) => ({
      name: String(c['name']),
      dataType: String(c['dataType']),
      nullable: Boolean(c['nullable']),
    })),
    primaryKey: key.map((k) => String(k['name'])),
  };
}

/** What differs between a model's declaration and its migrated table, one line per difference; empty when none. */
export function shapeDifferences(model: DeclaredTable, migrated: TableShape): string[] {
  const declared = declaredShape(model);
  const differences: string[] = [];
  const actual = new Map(migrated.columns.map((c) => [c.name, c]));
  for (const col of declared.columns) {
    const found = actual.get(col.name);
    if (!found) differences.push(`${model.table}.${col.name}: declared, not in the migrated table`);
    else if (found.dataType !== col.dataType)
      differences.push(`${model.table}.${col.name}: declared ${col.dataType}, migrated ${found.dataType}`);
    else if (found.nullable !== col.nullable)
      differences.push(
        `${model.table}.${col.name}: declared ${col.nullable ? 'nullable' : 'NOT NULL'}, migrated ${found.nullable ? 'nullable' : 'NOT NULL'}`,
      );
  }
  const names = new Set(declared.columns.map((c) => c.name));
  for (const col of migrated.columns) {
    if (!names.has(col.name))
      differences.push(`${model.table}.${col.name}: in the migrated table, not declared`);
  }
  if (declared.primaryKey.join(',') !== migrated.primaryKey.join(',')) {
    differences.push(
      `${model.table}: primary key declared (${declared.primaryKey.join(', ')}), migrated (${migrated.primaryKey.join(', ')})`,
    );
  }
  return differences;
}
