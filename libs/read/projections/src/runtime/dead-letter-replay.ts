import type { BatchApplier, BatchResult } from './batch-applier';
import type { IncomingMessage } from './incoming-message';
import { decodeMessage } from './message-decoder';

export type ReplayOutcome =
  { status: 'applied'; result: BatchResult } | { status: 'failed'; error: string } | { status: 'not-found' };

interface DeadLetterRow {
  id: string;
  topic: string;
  partition: number;
  offset: string;
  message_key: string | null;
  headers: Record<string, string>;
  payload: string | null;
}

/**
 * An operator's second chance for a dead letter, after the cause is fixed (a deployed fix, or a corrected payload
 * given here). The event goes through the same path as a live batch, in one transaction: applied at its stream
 * version (then the versions parked behind it), or, if it is still poison, left in the table with its new error.
 */
export async function replayDeadLetter(
  applier: BatchApplier,
  id: string,
  correctedPayload?: string,
): Promise<ReplayOutcome> {
  return applier.inTransaction(async (runner) => {
    const rows: DeadLetterRow[] = await runner.query(
      `SELECT id::text AS id, topic, partition, "offset"::text AS "offset", message_key, headers, payload
         FROM dead_letters WHERE id = $1 AND projection = $2 AND replayed_at IS NULL FOR UPDATE`,
      [id, applier.namespace],
    );
    const row = rows[0];
    if (!row) return { status: 'not-found' } as const;
    const payload = correctedPayload ?? row.payload;
    const message: IncomingMessage = {
      topic: row.topic,
      partition: row.partition,
      offset: row.offset,
      key: row.message_key,
      value: payload,
      headers: row.headers,
    };
    const result = await applier.applyAll(runner, [decodeMessage(message)], true);
    const failure = result.deadLettered[0];
    if (failure) return { status: 'failed', error: failure.error } as const;
    await runner.query(`UPDATE dead_letters SET replayed_at = now(), payload = $2 WHERE id = $1`, [
      id,
      payload,
    ]);
    return { status: 'applied', result } as const;
  });
}
