import { CE_HEADERS } from '@tandem/contracts';
import { counter, gauge } from '@tandem/platform/observability';
import type { BatchResult } from './batch-result';
import type { IncomingMessage } from './incoming-message';

// The projection consumer's metrics, by projection (its namespace).

const applied = counter('projection_events_applied_total', 'Events applied to a read model', ['projection']);
const duplicates = counter('projection_events_duplicate_total', 'Events skipped as already applied', [
  'projection',
]);
const batches = counter(
  'projection_batches_total',
  'Batch transactions by path: continuing (every stream moved on from where it stood) or general',
  ['projection', 'path'],
);
const parkedCount = counter('projection_events_parked_total', 'Events parked behind a version gap', [
  'projection',
]);
const deadLettered = counter('projection_dead_letters_total', 'Events dead-lettered', [
  'projection',
  'reason',
]);
const retries = counter('projection_transient_retries_total', 'Batches retried after a transient failure', [
  'projection',
]);
const lastEventTime = gauge(
  'projection_last_event_timestamp_seconds',
  'Event time (ce_time) of the newest event applied; with lag, time() minus this is how far behind the model is',
  ['projection'],
);
const failing = gauge(
  'projection_failing',
  '1 while batches are failing and being retried (stalled once it lasts)',
  ['projection'],
);
const lagMessages = gauge(
  'projection_lag_messages',
  'Messages between the committed offset and the log end',
  ['projection', 'topic', 'partition'],
);

/** Counts a committed batch: its path, events applied, duplicates, parked, dead letters by reason. */
export function countBatch(projection: string, result: BatchResult): void {
  batches.inc({ projection, path: result.path });
  if (result.applied) applied.inc({ projection }, result.applied);
  if (result.duplicates) duplicates.inc({ projection }, result.duplicates);
  if (result.parked) parkedCount.inc({ projection }, result.parked);
  for (const letter of result.deadLettered) deadLettered.inc({ projection, reason: letter.reason });
}

/** Sets the newest event time from the `ce_time` of a committed batch's messages (none: unchanged). */
export function recordNewestEventTime(projection: string, messages: readonly IncomingMessage[]): void {
  let newest: number | undefined;
  for (const message of messages) {
    const raw = message.headers[CE_HEADERS.time];
    const at = Date.parse((Array.isArray(raw) ? raw[0] : raw)?.toString() ?? '');
    if (!Number.isNaN(at) && (newest === undefined || at > newest)) newest = at;
  }
  if (newest !== undefined) lastEventTime.set({ projection }, newest / 1000);
}

/** Sets a partition's lag: messages between its committed offset and the log end. */
export function recordPartitionLag(
  projection: string,
  topic: string,
  partition: number,
  messages: number,
): void {
  lagMessages.set({ projection, topic, partition: String(partition) }, messages);
}

/** Counts a failed attempt (to be retried) and marks the projection failing. */
export function countFailedAttempt(projection: string): void {
  failing.set({ projection }, 1);
  retries.inc({ projection });
}

/** Marks the projection no longer failing. */
export function clearFailing(projection: string): void {
  failing.set({ projection }, 0);
}
