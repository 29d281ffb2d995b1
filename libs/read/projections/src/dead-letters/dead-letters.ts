import { toKafkaHeaders } from '@tandem/contracts';
import type { IncomingMessage } from '../runtime/incoming-message';
import type { DecodedMessage } from '../runtime/message-decoder';
import type { Queryable } from '../runtime/queryable';

// Owns dead_letters: messages a projection could not apply and a retry cannot fix, kept with their error until an
// operator replays them. Every statement on the table is written here.

/** A message just dead-lettered: what the consumer also publishes to the dead-letter topic. */
export interface DeadLetterRecord {
  id: string;
  projection: string;
  message: IncomingMessage;
  reason: string;
  error: string;
}

/** A pending dead letter as a replay reads it back: enough to rebuild the message. */
export interface PendingDeadLetter {
  id: string;
  topic: string;
  partition: number;
  offset: string;
  message_key: string | null;
  headers: Record<string, string>;
  payload: string | null;
}

/**
 * Records a poison message under `reason`, with its headers (the envelope's, when it had one) and error. The same
 * message dead-lettered again (a redelivery, a failed replay) keeps its row, with the new error, pending again.
 */
export async function recordDeadLetter(
  db: Queryable,
  projection: string,
  item: Extract<DecodedMessage, { kind: 'poison' }>,
  reason: string = item.reason,
): Promise<DeadLetterRecord> {
  const { message, envelope } = item;
  const headers = Object.fromEntries(
    Object.entries(message.headers).flatMap(([name, value]) => {
      const first = Array.isArray(value) ? value[0] : value;
      return first === undefined ? [] : [[name, first.toString()]];
    }),
  );
  const inserted = (await db.query(
    `INSERT INTO dead_letters (projection, topic, partition, "offset", message_key, headers, payload,
                               stream_id, stream_version, event_type, reason, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (projection, topic, partition, "offset")
       DO UPDATE SET error = EXCLUDED.error, reason = EXCLUDED.reason, replayed_at = NULL
     RETURNING id::text AS id`,
    [
      projection,
      message.topic,
      message.partition,
      message.offset,
      message.key === null ? null : message.key.toString(),
      JSON.stringify(envelope ? { ...headers, ...toKafkaHeaders(envelope) } : headers),
      message.value === null ? null : message.value.toString(),
      envelope?.subject ?? null,
      envelope?.streamVersion ?? null,
      envelope?.type ?? null,
      reason,
      item.error,
    ],
  )) as Array<{ id: string }>;
  return { id: inserted[0]?.id ?? '', projection, message, reason, error: item.error };
}

/** A pending dead letter of the projection, locked until the caller's transaction ends; undefined if none. */
export async function lockPendingDeadLetter(
  db: Queryable,
  projection: string,
  id: string,
): Promise<PendingDeadLetter | undefined> {
  const rows = (await db.query(
    `SELECT id::text AS id, topic, partition, "offset"::text AS "offset", message_key, headers, payload
       FROM dead_letters WHERE id = $1 AND projection = $2 AND replayed_at IS NULL FOR UPDATE`,
    [id, projection],
  )) as PendingDeadLetter[];
  return rows[0];
}

/** Marks a dead letter replayed, with the payload that applied. */
export async function markReplayed(db: Queryable, id: string, payload: string | null): Promise<void> {
  await db.query(`UPDATE dead_letters SET replayed_at = now(), payload = $2 WHERE id = $1`, [id, payload]);
}

/** The projection's pending dead letters, oldest first, as the operators' route lists them. */
export async function listPendingDeadLetters(
  db: Queryable,
  projection: string,
  limit: number,
): Promise<Array<Record<string, unknown>>> {
  return (await db.query(
    `SELECT id::text AS id, topic, partition, "offset"::text AS "offset", stream_id AS "streamId",
            stream_version AS "streamVersion", event_type AS "eventType", reason, error, payload,
            created_at AS "createdAt"
       FROM dead_letters WHERE projection = $1 AND replayed_at IS NULL ORDER BY id LIMIT $2`,
    [projection, limit],
  )) as Array<Record<string, unknown>>;
}

/** An SQL expression: how many dead letters of the projection wait for a replay. */
export function countPendingDeadLetters(projection: string): string {
  return `(SELECT count(*)::int FROM dead_letters d WHERE d.projection = ${projection} AND d.replayed_at IS NULL)`;
}

/** Forgets a projection's dead letters (a rebuild starts its namespace from nothing). */
export async function forgetDeadLetters(db: Queryable, projection: string): Promise<void> {
  await db.query(`DELETE FROM dead_letters WHERE projection = $1`, [projection]);
}

/**
 * Makes the dead letters kept under `from` (a rebuild's namespace) those of `to`. Where both hold the same message,
 * `to`'s row stays (with its replay history) and `from`'s goes.
 */
export async function handOverDeadLetters(db: Queryable, from: string, to: string): Promise<void> {
  await db.query(
    `DELETE FROM dead_letters r WHERE r.projection = $2 AND EXISTS (
       SELECT 1 FROM dead_letters l WHERE l.projection = $1 AND l.topic = r.topic
          AND l.partition = r.partition AND l."offset" = r."offset")`,
    [to, from],
  );
  await db.query(`UPDATE dead_letters SET projection = $1 WHERE projection = $2`, [to, from]);
}
