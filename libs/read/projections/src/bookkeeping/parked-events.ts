import type { EventEnvelope } from '@tandem/contracts';
import type { IncomingMessage } from '../runtime/incoming-message';
import type { Queryable } from '../runtime/queryable';

// Owns projection_parked_events: events that arrived ahead of their stream (a version gap), kept in the read DB so
// that their partition keeps flowing, until the missing version comes. Every statement on the table is written here.

/** An event waiting behind a gap in its stream. */
export interface ParkedEvent {
  stream_id: string;
  version: number;
  topic: string;
  partition: number;
  offset: string;
  envelope: EventEnvelope;
  payload: string | null;
}

/** Parks an event behind the gap before it; parking it again changes nothing. */
export async function parkEvent(
  db: Queryable,
  projection: string,
  message: IncomingMessage,
  envelope: EventEnvelope,
): Promise<ParkedEvent> {
  const payload = message.value === null ? null : message.value.toString();
  await db.query(
    `INSERT INTO projection_parked_events (projection, stream_id, version, topic, partition, "offset", envelope, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
    [
      projection,
      envelope.subject,
      envelope.streamVersion,
      message.topic,
      message.partition,
      message.offset,
      JSON.stringify(envelope),
      payload,
    ],
  );
  return {
    stream_id: envelope.subject,
    version: envelope.streamVersion,
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    envelope,
    payload,
  };
}

/** Takes a parked event out once it is being applied. */
export async function unparkEvent(
  db: Queryable,
  projection: string,
  streamId: string,
  version: number,
): Promise<void> {
  await db.query(
    `DELETE FROM projection_parked_events WHERE projection = $1 AND stream_id = $2 AND version = $3`,
    [projection, streamId, version],
  );
}

/** The body of a LATERAL subquery: the events parked behind the stream `stream` names (OFFSET 0: not flattened). */
export function parkedBehind(projection: string, stream: string): string {
  return `SELECT version, topic, partition, "offset", envelope, payload
            FROM projection_parked_events
           WHERE projection = ${projection} AND stream_id = ${stream} OFFSET 0`;
}

/** An SQL expression: whether any of the streams (an SQL text array) has events parked. */
export function anyParked(projection: string, streams: string): string {
  return `EXISTS (SELECT 1 FROM unnest(${streams}::text[]) AS s(id)
                   WHERE EXISTS (SELECT 1 FROM projection_parked_events
                                  WHERE projection = ${projection} AND stream_id = s.id))`;
}

/** An SQL expression: how many events the projection has parked. */
export function countParked(projection: string): string {
  return `(SELECT count(*)::int FROM projection_parked_events p WHERE p.projection = ${projection})`;
}

/** An SQL expression: when the projection's longest-waiting parked event was parked (null: none). */
export function oldestParkedAt(projection: string): string {
  return `(SELECT min(parked_at) FROM projection_parked_events p WHERE p.projection = ${projection})`;
}

/** Forgets a projection's parked events (a rebuild starts its namespace from nothing). */
export async function forgetParkedEvents(db: Queryable, projection: string): Promise<void> {
  await db.query(`DELETE FROM projection_parked_events WHERE projection = $1`, [projection]);
}

/** Makes the events parked under `from` (a rebuild's namespace) those of `to`, replacing `to`'s own. */
export async function handOverParkedEvents(db: Queryable, from: string, to: string): Promise<void> {
  await db.query(`DELETE FROM projection_parked_events WHERE projection = $1`, [to]);
  await db.query(`UPDATE projection_parked_events SET projection = $1 WHERE projection = $2`, [to, from]);
}
