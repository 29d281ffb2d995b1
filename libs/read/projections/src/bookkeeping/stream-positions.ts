import type { Queryable } from '../runtime/queryable';
import { checkpointOf } from './checkpoints';
import { parkedBehind, type ParkedEvent } from './parked-events';

/** Where each stream of a batch stands: its checkpoint, and the events parked behind it by version. */
export interface StreamPositions {
  checkpoints: Map<string, number>;
  parked: Map<string, Map<number, ParkedEvent>>;
}

/**
 * Reads the batch's stream bookkeeping in one statement: each stream's checkpoint and the events parked behind it.
 * Each stream is its own primary-key lookup: a LATERAL subquery with LIMIT or OFFSET is not flattened into a join.
 * The plain `projection = $1 AND stream_id = ANY($2)` was planned, on a checkpoint table whose statistics lag behind
 * (a catch-up from offset 0 fills it faster than autovacuum analyzes it), as a scan of the projection's whole key
 * range filtered by stream: every checkpoint read on every batch, so catch-up slowed as it grew.
 */
export async function readStreamPositions(
  db: Queryable,
  projection: string,
  streams: string[],
): Promise<StreamPositions> {
  const positions: StreamPositions = { checkpoints: new Map(), parked: new Map() };
  if (streams.length === 0) return positions;
  const rows = (await db.query(
    `SELECT s.id AS stream_id, c.version AS checkpoint,
            p.version, p.topic, p.partition, p."offset"::text AS "offset", p.envelope, p.payload
       FROM unnest($2::text[]) AS s(id)
       LEFT JOIN LATERAL (${checkpointOf('$1', 's.id')}) c ON true
       LEFT JOIN LATERAL (${parkedBehind('$1', 's.id')}) p ON true`,
    [projection, streams],
  )) as Array<
    { stream_id: string; checkpoint: number | null } & {
      [K in keyof ParkedEvent]: ParkedEvent[K] | null;
    }
  >;
  for (const row of rows) {
    if (row.checkpoint !== null) positions.checkpoints.set(row.stream_id, row.checkpoint);
    const { version, topic, partition, offset, envelope } = row;
    if (version === null || topic === null || partition === null || offset === null || envelope === null)
      continue;
    const waiting = {
      stream_id: row.stream_id,
      version,
      topic,
      partition,
      offset,
      envelope,
      payload: row.payload,
    };
    parkedOf(positions, row.stream_id).set(version, waiting);
  }
  return positions;
}

/** The events parked behind a stream, by version (an empty map, kept, when none). */
export function parkedOf(positions: StreamPositions, stream: string): Map<number, ParkedEvent> {
  let forStream = positions.parked.get(stream);
  if (!forStream) {
    forStream = new Map();
    positions.parked.set(stream, forStream);
  }
  return forStream;
}
