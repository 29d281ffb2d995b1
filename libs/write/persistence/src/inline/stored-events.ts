import { definitionOf, type OrderEvent } from '@tandem/contracts';
import type { ModelEvent } from '@tandem/platform/read-model';
import { EVENT_SOURCE } from '../outbox/outbox-writer';
import { latestStoredEvent, orderCurrencyForUpcast } from '../stores/stored-order-events';

/** An `events` row as the inline paths read it (`STORED_EVENT_COLUMNS`). */
export interface StoredEventRow {
  position: string;
  stream_id: string;
  version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  /** The order's currency, for a row whose upcast needs it (an OrderLineAdded stored as v1); else null. */
  order_currency: string | null;
  metadata: { correlationId?: string; causationId?: string };
  time: string;
}

/** What the inline paths select of an event: enough to give a model the envelope the outbox carried. */
export const STORED_EVENT_COLUMNS = `e.position::text AS position, e.stream_id, e.version, e.event_id, e.type,
  e.schema_version, e.data, e.metadata, to_json(e.recorded_at) #>> '{}' AS time,
  ${orderCurrencyForUpcast(`'tandem.orders.' || e.type || '.v' || e.schema_version`, 'e.stream_id')} AS order_currency`;

/**
 * An event from the event store as a model sees it: at its latest version (a v1 row upcast, the row unchanged),
 * with the envelope the command recorded with it (its time is the envelope's, as an instant; traceparent, which no
 * model reads, is not kept in the events table).
 */
export function storedModelEvent(row: StoredEventRow): ModelEvent<OrderEvent> {
  const event = latestStoredEvent(
    row,
    row.order_currency === null ? undefined : { currency: row.order_currency },
  );
  return {
    envelope: {
      id: row.event_id,
      type: definitionOf(event.type).type,
      source: EVENT_SOURCE,
      subject: row.stream_id,
      time: row.time,
      streamVersion: row.version,
      correlationId: row.metadata.correlationId ?? '',
      causationId: row.metadata.causationId ?? '',
    },
    event,
  };
}
