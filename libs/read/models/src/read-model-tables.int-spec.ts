import type { DataSource } from 'typeorm';
import { migratedShape, shapeDifferences } from '@tandem/platform/read-model';
import { ASYNC_READ_MODELS } from './read-tables';
import { openMigratedReadDatabase, type MigratedReadDatabase } from './testing/migrated-read-database';

/**
 * Each read model's columns are declared once, in its definition; the migrations build its table. This checks the
 * one against the other on a freshly migrated read DB: a column added to a definition without its migration (or the
 * reverse), a type or a NULL that differs, a primary key that is not the declared key, is named here.
 */
let read: MigratedReadDatabase | undefined;
let dataSource: DataSource;
const query = (sql: string, params: unknown[]) => dataSource.query(sql, params);

beforeAll(async () => {
  read = await openMigratedReadDatabase('read_model_tables');
  dataSource = read.dataSource;
}, 60_000);

afterAll(() => read?.close(), 60_000);

test.each(ASYNC_READ_MODELS.map((model) => [model.name, model] as const))(
  'the migrations build the table %s declares',
  async (_name, model) => {
    expect(shapeDifferences(model, await migratedShape(query, model.table))).toEqual([]);
  },
);

test.each(ASYNC_READ_MODELS.map((model) => [model.name, model] as const))(
  'a table that drifted from what %s declares is named column by column',
  async (_name, model) => {
    const drifted = `${model.table}_drifted`;
    const dropped = Object.keys(model.columns).at(-1);
    await dataSource.query(`CREATE TABLE ${drifted} (LIKE ${model.table} INCLUDING ALL)`);
    await dataSource.query(`ALTER TABLE ${drifted} DROP COLUMN ${dropped}, ADD COLUMN extra text`);
    expect(shapeDifferences({ ...model, table: drifted }, await migratedShape(query, drifted))).toEqual([
      `${drifted}.${dropped}: declared, not in the migrated table`,
      `${drifted}.extra: in the migrated table, not declared`,
    ]);
  },
);
