import type { Queryable } from '../runtime/queryable';
import { rebuildOwned } from './rebuild-gate';

// Owns projection_rebuilds: the last rebuild of each projection, written by whichever replica runs it and read by
// all of them. Every statement on the table is written here.

/** The last rebuild of a projection, as every replica reports it (and `npm run projection:rebuild` waits on). */
export interface RebuildRecord {
  startedAt: string;
  finishedAt: string | null;
  outcome: 'running' | 'swapped' | 'failed';
  error: string | null;
}

interface RebuildRow {
  owner: string;
  state: 'filling' | 'cutting-over' | 'swapped' | 'failed';
  started_at: Date;
  finished_at: Date | null;
  error: string | null;
  owned: boolean;
}

/** Records a rebuild begun by `owner` (which holds the owner lock), replacing the previous record. */
export async function recordRebuildStarted(
  db: Queryable,
  projection: string,
  owner: string,
): Promise<RebuildRecord> {
  const rows = (await db.query(
    `INSERT INTO projection_rebuilds (projection, owner, state, started_at, finished_at, error)
     VALUES ($1, $2, 'filling', now(), NULL, NULL)
     ON CONFLICT (projection) DO UPDATE SET owner = EXCLUDED.owner, state = 'filling', started_at = now(),
       finished_at = NULL, error = NULL
     RETURNING started_at`,
    [projection, owner],
  )) as Array<{ started_at: Date }>;
  return {
    startedAt: (rows[0]?.started_at ?? new Date()).toISOString(),
    finishedAt: null,
    outcome: 'running',
    error: null,
  };
}

export async function recordCuttingOver(db: Queryable, projection: string): Promise<void> {
  await db.query(`UPDATE projection_rebuilds SET state = 'cutting-over' WHERE projection = $1`, [projection]);
}

/** In the swap's transaction: the record says swapped exactly when the new tables are in. */
export async function recordSwapped(db: Queryable, projection: string): Promise<void> {
  await db.query(
    `UPDATE projection_rebuilds SET state = 'swapped', finished_at = now() WHERE projection = $1`,
    [projection],
  );
}

export async function recordFailed(db: Queryable, projection: string, error: string): Promise<void> {
  await db.query(
    `UPDATE projection_rebuilds SET state = 'failed', finished_at = now(), error = $2
      WHERE projection = $1 AND state IN ('filling', 'cutting-over')`,
    [projection, error],
  );
}

/**
 * The last rebuild of a projection, or null if it never had one. A rebuild still marked under way whose owner lock
 * nobody holds was abandoned: its process died (the live tables stayed), and it reads as failed.
 */
export async function readRebuildRecord(db: Queryable, projection: string): Promise<RebuildRecord | null> {
  const rows = (await db.query(
    `SELECT owner, state, started_at, finished_at, error, ${rebuildOwned('$1')} AS owned
       FROM projection_rebuilds WHERE projection = $1`,
    [projection],
  )) as RebuildRow[];
  const row = rows[0];
  if (!row) return null;
  const running = row.state === 'filling' || row.state === 'cutting-over';
  return {
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    outcome: running ? (row.owned ? 'running' : 'failed') : row.state === 'swapped' ? 'swapped' : 'failed',
    error:
      running && !row.owned
        ? `abandoned: ${row.owner}, which ran it, stopped before the swap (the live tables were kept)`
        : row.error,
  };
}
