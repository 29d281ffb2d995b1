import type { Sql } from '../transactions/sql';

/**
 * Every statement on the inline models' bookkeeping: `inline_checkpoints` (per model and order stream, the version
 * up to which the model reflects the stream) and `inline_models` (the models filled from the event store).
 */

/** Advisory lock class of one model's catch-up and rebuild (two-key form: the relay's one-key lock never clashes). */
export const INLINE_LOCK_CLASS = 7302;

/**
 * The part of a command's append statement that claims one model's checkpoint of the stream: it moves the
 * checkpoint to the stream's new version only if the model already reflects every earlier event it reads, i.e. the
 * checkpoint is at least the version of the last of them, `lastRead` (computed from the events table when the
 * transaction did not load the stream). It reads `appended` (which returns `version`), so it runs after the events
 * were inserted: two writers of one stream meet at the events' unique index before either takes this row. Returns
 * a row if the claim held.
 */
export function claimCheckpointPart(
  claim: {
    model: string;
    streamId: string;
    expectedVersion: number;
    readTypes: readonly string[];
    lastRead: number | null;
  },
  params: unknown[],
): string {
  const at = (value: unknown): string => `$${params.push(value)}`;
  const model = `${at(claim.model)}::text`;
  const stream = `${at(claim.streamId)}::uuid`;
  // With no earlier event the model reads (a first PlaceOrder), any checkpoint will do: the claim only moves it.
  let holds = { source: '', update: '' };
  if (claim.lastRead !== 0) {
    const lastRead =
      claim.lastRead === null
        ? `COALESCE((SELECT max(p.version) FROM events p WHERE p.stream_id = ${stream}
             AND p.version <= ${at(claim.expectedVersion)}::int AND p.type = ANY(${at(claim.readTypes)}::text[])), 0)`
        : `${at(claim.lastRead)}::int`;
    holds = {
      source: `HAVING COALESCE((SELECT k.version FROM inline_checkpoints k WHERE k.model = ${model}
          AND k.stream_id = ${stream}), 0) >= ${lastRead}`,
      update: ` WHERE c.version >= ${lastRead}`,
    };
  }
  return `INSERT INTO inline_checkpoints AS c (model, stream_id, version)
    SELECT ${model}, ${stream}, max(a.version) FROM appended a ${holds.source}
    ON CONFLICT (model, stream_id) DO UPDATE SET version = EXCLUDED.version${holds.update}
    RETURNING 1`;
}

/** Locks one stream's checkpoint row for the transaction (creating it at 0) and returns its version. */
export async function lockCheckpoint(sql: Sql, model: string, streamId: string): Promise<number> {
  const [row] = await sql.rows<{ version: number }>(
    `INSERT INTO inline_checkpoints AS c (model, stream_id, version) VALUES ($1, $2, 0)
     ON CONFLICT (model, stream_id) DO UPDATE SET version = c.version
     RETURNING version`,
    [model, streamId],
  );
  return row?.version ?? 0;
}

export async function setCheckpoint(
  sql: Sql,
  model: string,
  streamId: string,
  version: number,
): Promise<void> {
  await sql.rows(`UPDATE inline_checkpoints SET version = $3 WHERE model = $1 AND stream_id = $2`, [
    model,
    streamId,
    version,
  ]);
}

/** Moves streams' checkpoints up to the given versions (never down), creating those a model had none of. */
export async function advanceCheckpoints(
  sql: Sql,
  model: string,
  versions: ReadonlyMap<string, number>,
): Promise<void> {
  if (versions.size === 0) return;
  await sql.rows(
    `INSERT INTO inline_checkpoints AS c (model, stream_id, version)
     SELECT $1, s, v FROM unnest($2::uuid[], $3::int[]) AS u(s, v)
     ON CONFLICT (model, stream_id) DO UPDATE SET version = GREATEST(c.version, EXCLUDED.version)`,
    [model, [...versions.keys()], [...versions.values()]],
  );
}

/**
 * Waits for the commands applying inline models to end and holds back those that start, until the transaction
 * ends: their append statement writes `inline_checkpoints`, and this mode conflicts with that (ROW EXCLUSIVE), not
 * with reads. Taken first, before any row, so a writer waiting for it holds nothing this transaction needs.
 */
export async function excludeInlineWriters(sql: Sql): Promise<void> {
  await sql.rows(`LOCK TABLE inline_checkpoints IN SHARE ROW EXCLUSIVE MODE`);
}

/** Removes a model's checkpoints and its fill record: until it is filled again, it is not trusted. */
export async function forgetModel(sql: Sql, model: string): Promise<void> {
  await sql.rows(`DELETE FROM inline_checkpoints WHERE model = $1`, [model]);
  await sql.rows(`DELETE FROM inline_models WHERE model = $1`, [model]);
}

export async function isFilled(sql: Sql, model: string): Promise<boolean> {
  const rows = await sql.rows(`SELECT 1 FROM inline_models WHERE model = $1`, [model]);
  return rows.length > 0;
}

export async function markFilled(sql: Sql, model: string): Promise<void> {
  await sql.rows(
    `INSERT INTO inline_models (model, filled_at, caught_up_at) VALUES ($1, now(), now())
     ON CONFLICT (model) DO UPDATE SET filled_at = now(), caught_up_at = now()`,
    [model],
  );
}

export async function markCaughtUp(sql: Sql, model: string): Promise<void> {
  await sql.rows(`UPDATE inline_models SET caught_up_at = now() WHERE model = $1`, [model]);
}
