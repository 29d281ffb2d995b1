import {
  DEPRECATED_TOPICS,
  definitionOfType,
  EVENT_CATALOG,
  upcastEvent,
  type EventDefinition,
  type EventEnvelope,
  type EventTopic,
  type TandemEventName,
} from '@tandem/contracts';
import { orderCurrencyForUpcast } from '../stores/stored-order-events';
import { InvalidOutboxEvent } from './kafka-outbox-publisher';
import type { OutboxMessage } from './outbox-message';

/**
 * One outbox row with what is left to send of it. A row is sent twice while its topic is deprecated: on `topic` as
 * it was written (`published_at`) and on the topic that replaced it at the event's latest version
 * (`latest_published_at`). The relay of a release before v2 knows only the first and only `published_at`.
 */
export interface PendingOutboxRow {
  position: string;
  topic: string;
  message_key: string;
  envelope: EventEnvelope;
  payload: unknown;
  latest_payload: unknown;
  published: boolean;
  latest_published: boolean;
  /** The order's currency, looked up only for a v1 row whose upcast needs it and that has no `latest_payload`. */
  order_currency: string | null;
  /** How long ago the row's transaction started. */
  age_seconds: number;
}

/** The lowest committed rows with something left to send, in position order (parameter $1: how many). */
export const PENDING_OUTBOX_ROWS = `
  SELECT o.position::text AS position, o.topic, o.message_key, o.envelope, o.payload, o.latest_payload,
         o.published_at IS NOT NULL AS published, o.latest_published_at IS NOT NULL AS latest_published,
         CASE WHEN o.latest_payload IS NULL THEN
           ${orderCurrencyForUpcast(`o.envelope->>'type'`, 'o.message_key::uuid')} END AS order_currency,
         extract(epoch FROM clock_timestamp() - o.created_at)::float8 AS age_seconds
    FROM outbox o
   WHERE o.published_at IS NULL OR o.latest_published_at IS NULL
   ORDER BY o.position -- the column, not the text alias: '10' sorts before '9'
   LIMIT $1`;

/** Marks rows as done on both topics (a timestamp already there stays). */
export const MARK_OUTBOX_ROWS = `UPDATE outbox
   SET published_at = COALESCE(published_at, now()), latest_published_at = COALESCE(latest_published_at, now())
 WHERE position = ANY($1::bigint[])`;

/**
 * The messages one row still owes, in the order they are sent: on its own topic (unless that topic is deprecated
 * and its window has closed, `deprecatedOpen` false: then it is marked without being sent), then on the topic that
 * replaced it, upcast to the latest version (from `latest_payload`, or from the v1 payload when the previous release
 * wrote the row).
 */
export function deliveriesOf(row: PendingOutboxRow, deprecatedOpen: boolean): OutboxMessage[] {
  const messages: OutboxMessage[] = [];
  const base = { position: row.position, key: row.message_key };
  const successor = DEPRECATED_TOPICS[row.topic as EventTopic]?.replacedBy;
  if (!row.published && (successor === undefined || deprecatedOpen)) {
    messages.push({ ...base, topic: row.topic, envelope: row.envelope, payload: row.payload });
  }
  if (successor !== undefined && !row.latest_published) {
    const written = definitionOfType(row.envelope.type);
    if (!written) throw new InvalidOutboxEvent(row.position, `unknown event type ${row.envelope.type}`);
    const latest = EVENT_CATALOG[written.name as TandemEventName];
    messages.push({
      ...base,
      topic: successor,
      envelope: { ...row.envelope, type: latest.type },
      payload: row.latest_payload ?? upcastPayload(row, written),
    });
  }
  return messages;
}

/** A v1 row's payload at its latest version; a row that cannot be upcast stops the relay, as an invalid one does. */
function upcastPayload(row: PendingOutboxRow, written: EventDefinition): unknown {
  try {
    const order = row.order_currency === null ? undefined : { currency: row.order_currency };
    return upcastEvent(written, row.payload, order).data;
  } catch (error) {
    throw new InvalidOutboxEvent(row.position, error instanceof Error ? error.message : String(error));
  }
}
