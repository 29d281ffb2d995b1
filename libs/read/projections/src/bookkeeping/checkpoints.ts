import { intArrayLiteral, sqlLiteral, textArrayLiteral } from '@tandem/platform/sql';
import type { Queryable } from '../runtime/queryable';

// Owns projection_checkpoints: per projection (a namespace: a rebuild keeps its own) and stream, the last version
// applied, moved in the transaction that applied it. Every statement on the table is written here; the batch paths
// compose the fragments below into their own round trips.

/** The version of a stream a projection has applied; 0 before its first event. What read-your-writes waits for. */
export async function appliedVersion(db: Queryable, projection: string, streamId: string): Promise<number> {
  const rows = (await db.query(
    `SELECT version FROM projection_checkpoints WHERE projection = $1 AND stream_id = $2 LIMIT 1`,
    [projection, streamId],
  )) as Array<{ version: number }>;
  return rows[0]?.version ?? 0;
}

/** The versions of many streams a projection has applied, in one lookup (streams without one are left out). */
export async function appliedVersions(
  db: Queryable,
  projection: string,
  streamIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = (await db.query(
    `SELECT stream_id, version FROM projection_checkpoints WHERE projection = $1 AND stream_id = ANY($2::text[])`,
    [projection, streamIds],
  )) as Array<{ stream_id: string; version: number }>;
  return new Map(rows.map((row) => [row.stream_id, row.version]));
}

/** The body of a LATERAL subquery: the checkpoint (`version`) of the stream `stream` names, one key lookup. */
export function checkpointOf(projection: string, stream: string): string {
  return `SELECT version FROM projection_checkpoints
           WHERE projection = ${projection} AND stream_id = ${stream} LIMIT 1`;
}

/**
 * For a data-modifying WITH: sets each stream's checkpoint to its version, whatever it was. `streams` and `versions`
 * are SQL expressions of two parallel arrays (text and int).
 */
export function setCheckpoints(projection: string, streams: string, versions: string): string {
  return `INSERT INTO projection_checkpoints (projection, stream_id, version, updated_at)
         SELECT ${projection}, s, v, now() FROM unnest(${streams}::text[], ${versions}::int[]) AS t(s, v)
         ON CONFLICT (projection, stream_id) DO UPDATE SET version = EXCLUDED.version, updated_at = now()`;
}

/** Where a batch assumes each of its streams stands, and where it leaves them. */
export interface CheckpointMoves {
  streams: string[];
  /** Per stream: the version it must stand at (0: no checkpoint yet), and the one the batch leaves it at. */
  from: number[];
  to: number[];
}

/**
 * For a data-modifying WITH: moves each stream's checkpoint to its `to` version only where it stands at its `from`
 * version, and returns a row per stream it tried; `countMoved` over those rows says for how many that held. Each new
 * version is sent negated for a stream that must already have a checkpoint: if it has none, the row inserted shows a
 * negative version (not counted, and the caller rolls back). Each row returned also names its stream
 * (`stream_id`). Written with literals, for a simple query: the stream ids are escaped, the versions are integers.
 */
export function moveCheckpointsWhereTheyStand(projectionLiteral: string, moves: CheckpointMoves): string {
  const versions = moves.streams.map((_, i) => (moves.from[i] === 0 ? 1 : -1) * (moves.to[i] ?? 0));
  const from = fromLiteral(moves);
  return `INSERT INTO projection_checkpoints AS c (projection, stream_id, version, updated_at)
      SELECT ${projectionLiteral}, s, v, now()
        FROM unnest(${textArrayLiteral(moves.streams)}::text[], ${intArrayLiteral(versions)}::int[]) AS t(s, v)
      ON CONFLICT (projection, stream_id) DO UPDATE SET version = abs(EXCLUDED.version), updated_at = now()
       WHERE c.version = (${from}::jsonb ->> EXCLUDED.stream_id)::int
      RETURNING c.stream_id, c.version`;
}

/** Printable ASCII but `"`, `'` and `\`: written as it is in a JSON string and in an SQL string literal. */
const PLAIN_KEY = /^[\x20\x21\x23-\x26\x28-\x5b\x5d-\x7e]*$/;

/**
 * `{"stream": from, …}` as a string literal: each key as JSON.stringify writes it (escaped), each value an integer.
 * A key of printable ASCII with no `"`, `'` or `\` (a UUID) reads the same unescaped, in JSON and in the literal: a
 * batch of such streams is written without JSON.stringify and without the literal's escaping.
 */
function fromLiteral(moves: CheckpointMoves): string {
  const { streams } = moves;
  let pairs = '';
  for (let i = 0; i < streams.length; i++) {
    const stream = streams[i] as string;
    if (!PLAIN_KEY.test(stream)) {
      return sqlLiteral(
        `{${streams.map((s, j) => `${JSON.stringify(s)}:${intLiteral(moves.from[j])}`).join(',')}}`,
      );
    }
    pairs += `${i === 0 ? '' : ','}"${stream}":${intLiteral(moves.from[i])}`;
  }
  return `'{${pairs}}'`;
}

function intLiteral(value: number | undefined): string {
  if (value === undefined || !Number.isSafeInteger(value))
    throw new TypeError(`not an integer for an SQL literal: ${String(value)}`);
  return String(value);
}

/** An SQL expression: how many streams `moveCheckpointsWhereTheyStand`, run as the WITH query `moved`, moved. */
export function countMoved(moved: string): string {
  return `(SELECT count(*)::int FROM ${moved} WHERE version > 0)`;
}

/** Forgets a projection's checkpoints (a rebuild starts its namespace from nothing). */
export async function forgetCheckpoints(db: Queryable, projection: string): Promise<void> {
  await db.query(`DELETE FROM projection_checkpoints WHERE projection = $1`, [projection]);
}

/** Makes the checkpoints kept under `from` (a rebuild's namespace) those of `to`, replacing `to`'s own. */
export async function handOverCheckpoints(db: Queryable, from: string, to: string): Promise<void> {
  await db.query(`DELETE FROM projection_checkpoints WHERE projection = $1`, [to]);
  await db.query(`UPDATE projection_checkpoints SET projection = $1 WHERE projection = $2`, [to, from]);
}
