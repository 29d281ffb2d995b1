import type { DataSource, EntityManager } from 'typeorm';
import { forgetCheckpoints, handOverCheckpoints } from '../bookkeeping/checkpoints';
import { notifyCheckpointsStatement } from '../bookkeeping/checkpoint-notifications';
import { forgetParkedEvents, handOverParkedEvents } from '../bookkeeping/parked-events';
import { forgetDeadLetters, handOverDeadLetters } from '../dead-letters/dead-letters';
import { forgetStatus, handOverStatus } from '../status/projection-status';

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
 * Swaps the rebuilt tables in, in one transaction: readers see the old tables until the commit and the new ones
 * after it (they wait on the table lock for the instant of the renames, they do not fail). The rebuild's
 * checkpoints, parked events, status and dead letters become the projection's own.
 */
export async function swapInRebuiltTables(
  dataSource: DataSource,
  tables: readonly string[],
  projection: string,
  namespace: string,
): Promise<void> {
  await dataSource.transaction(async (manager) => {
    for (const table of tables) {
      await manager.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      const oldIndexes = await indexesOf(manager, table);
      const newIndexes = await indexesOf(manager, `${table}${REBUILD_SUFFIX}`);
      await manager.query(`ALTER TABLE ${table} RENAME TO ${table}${OLD_SUFFIX}`);
      await manager.query(`ALTER TABLE ${table}${REBUILD_SUFFIX} RENAME TO ${table}`);
      await manager.query(`DROP TABLE ${table}${OLD_SUFFIX}`);
      // Copies get generated index names; the migrations' names come back so that later migrations and the next
      // rebuild find what they expect.
      for (const [shape, name] of newIndexes) {
        const original = oldIndexes.get(shape);
        if (original && original !== name) await manager.query(`ALTER INDEX ${name} RENAME TO ${original}`);
      }
    }
    await handOverCheckpoints(manager, namespace, projection);
    // Waiting reads re-check their streams: any of them may have moved with the swap.
    await manager.query(notifyCheckpointsStatement(projection, null));
    await handOverParkedEvents(manager, namespace, projection);
    await handOverStatus(manager, namespace, projection);
    await handOverDeadLetters(manager, namespace, projection);
  });
}

/** Index names of a table by their shape (definition without index and table names). */
async function indexesOf(manager: EntityManager, table: string): Promise<Map<string, string>> {
  const rows: Array<{ name: string; def: string }> = await manager.query(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = $1::regclass`,
    [table],
  );
  return new Map(rows.map((r) => [r.def.slice(r.def.indexOf(' USING ')), r.name]));
}
