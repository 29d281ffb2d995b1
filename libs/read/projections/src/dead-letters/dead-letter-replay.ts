import type { BatchApplier } from '../runtime/batch-applier';
import type { BatchResult } from '../runtime/batch-result';
import type { IncomingMessage } from '../runtime/incoming-message';
import { decodeMessage } from '../runtime/message-decoder';
import { lockPendingDeadLetter, markReplayed } from './dead-letters';

export type ReplayOutcome =
  { status: 'applied'; result: BatchResult } | { status: 'failed'; error: string } | { status: 'not-found' };

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
    const row = await lockPendingDeadLetter(runner, applier.namespace, id);
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
    await markReplayed(runner, id, payload);
    return { status: 'applied', result } as const;
  });
}
