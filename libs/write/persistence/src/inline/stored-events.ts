import { definitionOf, type OrderEvent, type TandemEventName } from '@tandem/contracts';
import type { ModelEvent } from '@tandem/platform/read-model';
import { EVENT_SOURCE } from '../outbox/outbox-writer';

/** An `events` row as the inline paths read it (`STORED_EVENT_COLUMNS`). */
export interface StoredEventRow {
  position: string;
  stream_id: string;
  version: number;
  event_id: string;
  type: string;
  data: OrderEvent['data'];
  metadata: { correlationId?: string; causationId?: string };
  time: string;
}

/** What the inline paths select of an event: enough to give a model the envelope the outbox carried. */
export const STORED_EVENT_COLUMNS = `e.position::text AS position, e.stream_id, e.version, e.event_id, e.type, e.data,
  e.metadata, to_json(e.recorded_at) #>> '{}' AS time`;

/**
 * An event from the event store as a model sees it: the envelope the command recorded with it (its time is the
 * envelope's, as an instant; traceparent, which no model reads, is not kept in the events table).
 */
export function storedModelEvent(row: StoredEventRow): ModelEvent<OrderEvent> {
  return {
    envelope: {
      id: row.event_id,
      type: definitionOf(row.type as TandemEventName).type,
      source: EVENT_SOURCE,
      subject: row.stream_id,
      time: row.time,
      streamVersion: row.version,
      correlationId: row.metadata.correlationId ?? '',
      causationId: row.metadata.causationId ?? '',
    },
    event: { type: row.type, data: row.data } as OrderEvent,
  };
}
