import type { Pool } from 'pg';
import type { CheckedEvent } from './fold';
import { readTopic, type LoggedRecord } from './kafka-log';

/** An event with what the checker needs to trace it: its id and the command (Idempotency-Key) that caused it. */
export interface TracedEvent extends CheckedEvent {
  eventId: string;
  causation: string;
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
  unpublished: number;
  orderTopic: LoggedRecord[];
  customerTopic: LoggedRecord[];
}

export const ORDER_TOPIC = 'orders.order.v1';
export const CUSTOMER_TOPIC = 'orders.customer.v1';

export async function gatherEvidence(writeDb: Pool, bootstrap: string): Promise<Evidence> {
  const events = await writeDb.query<{
    stream_id: string;
    version: number;
    type: string;
    data: Record<string, unknown>;
    time: string;
    event_id: string;
    causation: string;
  }>(
    `SELECT stream_id::text, version, type, data, event_id::text, metadata->>'causationId' AS causation,
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
    (await writeDb.query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`))
      .rows[0]?.n,
  );
  const [orderTopic, customerTopic] = [
    await readTopic(bootstrap, ORDER_TOPIC),
    await readTopic(bootstrap, CUSTOMER_TOPIC),
  ];
  return { orderStreams, customers, unpublished, orderTopic, customerTopic };
}

/** A Kafka record as an event: its CloudEvents headers and JSON value, read here without the contracts' code. */
export function eventOfRecord(record: LoggedRecord): TracedEvent | null {
  const h = record.headers;
  const type = /^tandem\.orders\.([A-Za-z]+)\.v\d+$/.exec(h['ce_type'] ?? '')?.[1];
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
  };
}
