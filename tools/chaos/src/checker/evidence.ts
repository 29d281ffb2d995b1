import type { Pool } from 'pg';
import type { CheckedEvent } from './fold';
import { readTopic, type LoggedRecord } from './kafka-log';

/** An event with what the checker needs to trace it: its id and the command (Idempotency-Key) that caused it. */
export interface TracedEvent extends CheckedEvent {
  eventId: string;
  causation: string;
  /** The major version of its schema: from `ce_type` on Kafka, `schema_version` in the write DB. */
  schemaVersion: number;
}

/** What the system holds after a fault, gathered with plain SQL and a plain Kafka read. */
export interface Evidence {
  /** Order events from the write DB's event store, per stream in version order. */
  orderStreams: Map<string, TracedEvent[]>;
  /** Customer rows of the write DB (state-stored). */
  customers: Map<
    string,
    { name: string; email: string; currency: string; creditLimit: string; version: number }
  >;
  /** Outbox rows with a delivery still owed (on their topic, or on the one that replaced it). */
  unpublished: number;
  /** Each order topic's records (ORDER_TOPICS). */
  orderTopics: Map<OrderTopic, LoggedRecord[]>;
  customerTopic: LoggedRecord[];
}

/**
 * The order topics the command service publishes every order event on (docs/events.md): orders.order.v2, at each
 * event's latest version (what the projections read), and the deprecated orders.order.v1, at v1, until its sunset
 * (`PUBLISH_V1_UNTIL`, by default the contract's date, which the fault test leaves alone). Each must hold every
 * order event.
 */
export const ORDER_TOPICS = ['orders.order.v2', 'orders.order.v1'] as const;
export type OrderTopic = (typeof ORDER_TOPICS)[number];
export const CUSTOMER_TOPIC = 'orders.customer.v1';
/** The version each event has on each order topic: OrderLineAdded changed in v2 (its price has its currency). */
export const EVENT_VERSION_ON: Record<OrderTopic, (event: string) => number> = {
  'orders.order.v2': (event) => (event === 'OrderLineAdded' ? 2 : 1),
  'orders.order.v1': () => 1,
};

export async function gatherEvidence(writeDb: Pool, bootstrap: string): Promise<Evidence> {
  const events = await writeDb.query<{
    stream_id: string;
    version: number;
    type: string;
    data: Record<string, unknown>;
    time: string;
    event_id: string;
    causation: string;
    schema_version: number;
  }>(
    `SELECT stream_id::text, version, type, data, event_id::text, metadata->>'causationId' AS causation,
            schema_version,
            to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time
       FROM events ORDER BY stream_id, version`,
  );
  const orderStreams = new Map<string, TracedEvent[]>();
  for (const row of events.rows) {
    const stream = orderStreams.get(row.stream_id) ?? [];
    stream.push({
      streamId: row.stream_id,
      version: row.version,
      type: row.type,
      data: row.data,
      time: row.time,
      eventId: row.event_id,
      causation: row.causation,
      schemaVersion: row.schema_version,
    });
    orderStreams.set(row.stream_id, stream);
  }
  const customerRows = await writeDb.query<{
    customer_id: string;
    name: string;
    email: string;
    currency: string;
    credit_limit: string;
    version: number;
  }>(`SELECT customer_id::text, name, email, currency, credit_limit::text, version FROM customers`);
  const customers = new Map(
    customerRows.rows.map((row) => [
      row.customer_id,
      {
        name: row.name,
        email: row.email,
        currency: row.currency,
        creditLimit: row.credit_limit,
        version: row.version,
      },
    ]),
  );
  const unpublished = Number(
    (
      await writeDb.query<{ n: string }>(
        `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL OR latest_published_at IS NULL`,
      )
    ).rows[0]?.n,
  );
  const orderTopics = new Map<OrderTopic, LoggedRecord[]>();
  for (const topic of ORDER_TOPICS) orderTopics.set(topic, await readTopic(bootstrap, topic));
  const customerTopic = await readTopic(bootstrap, CUSTOMER_TOPIC);
  return { orderStreams, customers, unpublished, orderTopics, customerTopic };
}

/** A Kafka record as an event: its CloudEvents headers and JSON value, read here without the contracts' code. */
export function eventOfRecord(record: LoggedRecord): TracedEvent | null {
  const h = record.headers;
  const typed = /^tandem\.orders\.([A-Za-z]+)\.v(\d+)$/.exec(h['ce_type'] ?? '');
  const type = typed?.[1];
  const version = Number(h['ce_streamversion']);
  if (!type || !h['ce_id'] || !h['ce_subject'] || !Number.isInteger(version)) return null;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(record.value) as Record<string, unknown>;
  } catch {
    return null;
  }
  return {
    streamId: h['ce_subject'],
    version,
    type,
    data,
    time: h['ce_time'] ?? '',
    eventId: h['ce_id'],
    causation: h['ce_causationid'] ?? '',
    schemaVersion: Number(typed?.[2]),
  };
}
