import { randomUUID } from 'node:crypto';
import { definitionOf, publishedForms, type EventEnvelope, type TandemEvent } from '@tandem/contracts';
import type { CommandOrigin } from '../transactions/command-transactions';
import type { Sql } from '../transactions/sql';

/** CloudEvents `source` of every event the write side records. */
export const EVENT_SOURCE = '/tandem/command-service';

export interface RecordedEvent {
  eventId: string;
  streamVersion: number;
  envelope: EventEnvelope;
}

/** Builds the envelope of each event: ids, versions and the request chain it came from. */
export function envelopeEvents<E extends TandemEvent>(
  streamId: string,
  firstVersion: number,
  events: readonly E[],
  origin: CommandOrigin,
): Array<RecordedEvent & { event: E }> {
  const time = new Date().toISOString();
  return events.map((event, index) => {
    const eventId = randomUUID();
    const streamVersion = firstVersion + index;
    return {
      event,
      eventId,
      streamVersion,
      envelope: {
        id: eventId,
        type: definitionOf(event.type).type,
        source: EVENT_SOURCE,
        subject: streamId,
        time,
        streamVersion,
        correlationId: origin.correlationId,
        causationId: origin.commandId,
        ...(origin.traceparent ? { traceparent: origin.traceparent } : {}),
        ...(origin.issuedBy ? { issuedBy: origin.issuedBy } : {}),
      },
    };
  });
}

/**
 * Enqueues events in the outbox inside the caller's transaction: they reach Kafka only if that transaction
 * commits, and the relay sends them later, never the handler. One statement for all of them.
 */
export async function enqueueInOutbox(
  sql: Sql,
  recorded: ReadonlyArray<RecordedEvent & { event: TandemEvent }>,
): Promise<void> {
  if (recorded.length === 0) return;
  const params: unknown[] = [];
  await sql.rows(outboxInsert(recorded, params), params);
}

/**
 * The outbox rows of `recorded` as one multi-row INSERT whose parameters are appended to `params`, for a caller
 * that sends it on its own or as part of a larger statement. Rows are inserted, and so relayed, in list order.
 *
 * A row keeps the event as the releases before v2 wrote it (`topic`, `envelope`, `payload`: its v1 form on
 * `orders.order.v1` or `orders.customer.v1`), so that a relay of such a release, still running during a rolling
 * upgrade, publishes it correctly; `latest_payload` adds the latest form where it differs (OrderLineAdded.v2). The
 * relay of this release sends both (outbox-deliveries.ts).
 */
export function outboxInsert(
  recorded: ReadonlyArray<RecordedEvent & { event: TandemEvent }>,
  params: unknown[],
): string {
  const rows = recorded.map(({ event, eventId, envelope }) => {
    const at = params.length;
    const { v1, latest } = publishedForms(event);
    params.push(
      eventId,
      v1.topic,
      envelope.subject,
      JSON.stringify({ ...envelope, type: v1.type }),
      JSON.stringify(v1.data),
      latest && latest.type !== v1.type ? JSON.stringify(latest.data) : null,
    );
    return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}::jsonb)`;
  });
  return `INSERT INTO outbox (event_id, topic, message_key, envelope, payload, latest_payload)
    VALUES ${rows.join(', ')}`;
}
