import { sqlLiteral } from '@tandem/platform/sql';
import type { Queryable } from '../runtime/queryable';

// A rebuild is coordinated through the read DB, so that any number of projection-service replicas obey it, with two
// advisory locks per projection (two-key form, so they never meet the one-key partition locks):
//  - the OWNER lock, a session lock held by the one process rebuilding the projection, from start to swap: a second
//    rebuild, asked of any replica, finds it taken. It dies with that process's session.
//  - the GATE, which every live batch takes shared, in its transaction, before anything else (both batch paths and
//    the dead-letter replay). The rebuild takes it exclusive for its cut-over: once it holds it, no live batch is in
//    flight on any replica and none can start, so none commits an event (or its offset) that the copy would miss;
//    the live consumers wait, heartbeating, and go on after the swap, on the new tables.
// The rebuild holds both on one connection and swaps on that same connection: if it dies, the locks go with it, the
// swap cannot happen, and the live tables stay as the live consumers keep them.

export const REBUILD_OWNER_LOCK_CLASS = 74_613_001;
export const REBUILD_GATE_LOCK_CLASS = 74_613_002;

/** The statement a live batch opens with, with literals, for a simple query. */
export function passGateStatement(namespace: string): string {
  return `SELECT pg_advisory_xact_lock_shared(${REBUILD_GATE_LOCK_CLASS}, hashtext(${sqlLiteral(namespace)}))`;
}

/** Takes the gate shared in the caller's transaction: waits while a rebuild of `namespace` cuts over. */
export async function passGate(db: Queryable, namespace: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock_shared($1, hashtext($2))`, [
    REBUILD_GATE_LOCK_CLASS,
    namespace,
  ]);
}

/** On the rebuild's own connection: true if this session now owns the projection's rebuild. */
export async function tryOwnRebuild(session: Queryable, projection: string): Promise<boolean> {
  const rows = (await session.query(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS owned`, [
    REBUILD_OWNER_LOCK_CLASS,
    projection,
  ])) as Array<{ owned: boolean }>;
  return rows[0]?.owned === true;
}

/** On the rebuild's own connection: closes the gate; resolves once every live batch in flight has committed. */
export async function closeGate(session: Queryable, projection: string): Promise<void> {
  await session.query(`SELECT pg_advisory_lock($1, hashtext($2))`, [REBUILD_GATE_LOCK_CLASS, projection]);
}

/** An SQL expression: whether some session owns the rebuild of `projection` (an SQL expression itself). */
export function rebuildOwned(projection: string): string {
  return `EXISTS (SELECT 1 FROM pg_locks
                   WHERE locktype = 'advisory' AND granted AND objsubid = 2
                     AND classid = ${REBUILD_OWNER_LOCK_CLASS}
                     AND objid = ((hashtext(${projection})::bigint + 4294967296) % 4294967296)::oid)`;
}
