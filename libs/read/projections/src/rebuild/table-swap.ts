import type { DataSource } from 'typeorm';
import { forgetCheckpoints, handOverCheckpoints } from '../bookkeeping/checkpoints';
import { notifyCheckpointsStatement } from '../bookkeeping/checkpoint-notifications';
import { forgetParkedEvents, handOverParkedEvents } from '../bookkeeping/parked-events';
import { forgetDeadLetters, handOverDeadLetters } from '../dead-letters/dead-letters';
import { forgetStatus, handOverStatus } from '../status/projection-status';
import type { Queryable } from '../runtime/queryable';

export const REBUILD_SUFFIX = '__rebuild';
const OLD_SUFFIX = '__replaced';

/**
 * Empty copies of a projection's tables (same columns, defaults, constraints and indexes) for a rebuild to fill,
 * and nothing kept under the rebuild's namespace (an earlier rebuild's leftovers).
 */
export async function createRebuildTables(
  dataSource: DataSource,
  tables: readonly string[],
  namespace: string,
) {
  await dataSource.transaction(async (manager) => {
    for (const table of tables) {
      await manager.query(`DROP TABLE IF EXISTS ${table}${REBUILD_SUFFIX}`);
      await manager.query(`CREATE TABLE ${table}${REBUILD_SUFFIX} (LIKE ${table} INCLUDING ALL)`);
    }
    await forgetCheckpoints(manager, namespace);
    await forgetParkedEvents(manager, namespace);
    await forgetStatus(manager, namespace);
    await forgetDeadLetters(manager, namespace);
  });
}

/**
 * Swaps the rebuilt tables in, inside the caller's transaction (one connection: the rebuild's own, which holds its
 * gate): readers see the old tables until the commit and the new ones after it (they wait on the table lock for the
 * instant of the renames, they do not fail). The rebuild's checkpoints, parked events, status and dead letters become
 * the projection's own.
 */
export async function swapInRebuiltTables(
  db: Queryable,
  tables: readonly string[],
  projection: string,
  namespace: string,
): Promise<void> {
  for (const table of tables) {
    await db.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    const oldIndexes = await indexesOf(db, table);
    const newIndexes = await indexesOf(db, `${table}${REBUILD_SUFFIX}`);
    const triggers = await triggersOf(db, table);
    await db.query(`ALTER TABLE ${table} RENAME TO ${table}${OLD_SUFFIX}`);
    await db.query(`ALTER TABLE ${table}${REBUILD_SUFFIX} RENAME TO ${table}`);
    await db.query(`DROP TABLE ${table}${OLD_SUFFIX}`);
    // A copy has no triggers (LIKE copies none): the old table's, dropped with it, are made again on the new one
    // (the order summary's change log). Their definitions name the table, which is now the new one.
    for (const definition of triggers) await db.query(definition);
    // Copies get generated index names; the migrations' names come back so that later migrations and the next
    // rebuild find what they expect.
    for (const [shape, name] of newIndexes) {
      const original = oldIndexes.get(shape);
      if (original && original !== name) await db.query(`ALTER INDEX ${name} RENAME TO ${original}`);
    }
  }
  await handOverCheckpoints(db, namespace, projection);
  // Waiting reads re-check their streams: any of them may have moved with the swap.
  await db.query(notifyCheckpointsStatement(projection, null));
  await handOverParkedEvents(db, namespace, projection);
  await handOverStatus(db, namespace, projection);
  await handOverDeadLetters(db, namespace, projection);
}

/** Index names of a table by their shape (definition without index and table names). */
async function indexesOf(db: Queryable, table: string): Promise<Map<string, string>> {
  const rows = (await db.query(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = $1::regclass`,
    [table],
  )) as Array<{ name: string; def: string }>;
  return new Map(rows.map((r) => [r.def.slice(r.def.indexOf(' USING ')), r.name]));
}

/** The definitions (CREATE TRIGGER statements) of a table's own triggers. */
async function triggersOf(db: Queryable, table: string): Promise<string[]> {
  const rows = (await db.query(
    `SELECT pg_get_triggerdef(t.oid) AS def FROM pg_trigger t WHERE t.tgrelid = $1::regclass AND NOT t.tgisinternal`,
    [table],
  )) as Array<{ def: string }>;
  return rows.map((r) => r.def);
}
