import type { Queryable } from '../runtime/queryable';

// Owns projection_status: one row per projection (or rebuild namespace) with the time of the newest event applied,
// which reads report as their freshness, and the count of events applied. Every statement on the table is written
// here; the batch paths compose `recordBatchStatus` into their own round trips.

/**
 * For a data-modifying WITH: records a batch in the projection's status row. Takes SQL expressions for the
 * projection, the batch's newest event time and the count of events it applied (parameters or literals).
 */
export function recordBatchStatus(projection: string, lastEventAt: string, applied: string): string {
  return `INSERT INTO projection_status (projection, state, last_event_at, last_applied_at, events_applied, updated_at)
    VALUES (${projection}, 'running', ${lastEventAt}, now(), ${applied}, now())
    ON CONFLICT (projection) DO UPDATE SET
      last_event_at = GREATEST(projection_status.last_event_at, EXCLUDED.last_event_at),
      last_applied_at = now(),
      events_applied = projection_status.events_applied + EXCLUDED.events_applied,
      updated_at = now()`;
}

/** The time of the newest event the projection applied; null before its first. */
export async function lastEventAt(db: Queryable, projection: string): Promise<Date | null> {
  const rows = (await db.query(`SELECT last_event_at FROM projection_status WHERE projection = $1 LIMIT 1`, [
    projection,
  ])) as Array<{ last_event_at: Date | null }>;
  return rows[0]?.last_event_at ?? null;
}

/** The status row as operators see it; its columns are null before the projection's first batch. */
export interface StatusRow {
  last_event_at: Date | null;
  events_applied: string | null;
}

/**
 * The projection's status row (a row of nulls before its first batch), with further columns computed in the same
 * statement: an SQL expression per column, in which `$1` is the projection.
 */
export async function readStatusRow<Beside extends Record<string, unknown>>(
  db: Queryable,
  projection: string,
  beside: { [Column in keyof Beside & string]: string },
): Promise<(StatusRow & Beside) | undefined> {
  const columns = Object.entries<string>(beside).map(
    ([name, expression]) => `,\n       ${expression} AS ${name}`,
  );
  const rows = (await db.query(
    `SELECT s.last_event_at, s.events_applied::text AS events_applied${columns.join('')}
       FROM (SELECT $1::text AS projection) n LEFT JOIN projection_status s ON s.projection = n.projection`,
    [projection],
  )) as Array<StatusRow & Beside>;
  return rows[0];
}

/** Forgets a projection's status (a rebuild starts its namespace from nothing). */
export async function forgetStatus(db: Queryable, projection: string): Promise<void> {
  await db.query(`DELETE FROM projection_status WHERE projection = $1`, [projection]);
}

/** Makes the status kept under `from` (a rebuild's namespace) that of `to`, replacing `to`'s own. */
export async function handOverStatus(db: Queryable, from: string, to: string): Promise<void> {
  await db.query(`DELETE FROM projection_status WHERE projection = $1`, [to]);
  await db.query(`UPDATE projection_status SET projection = $1 WHERE projection = $2`, [to, from]);
}
