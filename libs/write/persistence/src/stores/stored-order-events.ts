import {
  definitionOf,
  definitionOfVersion,
  downcastToV1,
  UPCASTS_NEEDING_ORDER_CURRENCY,
  upcastEvent,
  type OrderContext,
  type OrderEvent,
} from '@tandem/contracts';
import { sqlLiteral } from '@tandem/platform/sql';

/**
 * The major version order events are written in (`EVENT_VERSION_WRITTEN`): 2, their latest, or 1 while a replica
 * of a release that cannot read v2 still runs on the same database (docs/services.md, "Rolling out
 * OrderLineAdded.v2"). Either is read back: v1 rows are upcast when loaded, never rewritten.
 */
export type EventVersionWritten = 1 | 2;

/** An `events` row's event as stored: its name, the major version of its schema and its data. */
export interface StoredOrderEvent {
  type: string;
  schema_version: number;
  data: unknown;
}

/** What an event is stored as: the version of its schema and the data in it. */
export function storedForm(
  event: OrderEvent,
  written: EventVersionWritten,
): { schemaVersion: number; data: unknown } {
  if (written === 1) {
    const { definition, data } = downcastToV1(event);
    return { schemaVersion: definition.version, data };
  }
  return { schemaVersion: definitionOf(event.type).version, data: event.data };
}

/**
 * One stored event at its latest version. A v1 row is upcast (OrderLineAdded.v1 takes `order`'s currency); the
 * row stays as it was written.
 */
export function latestStoredEvent(row: StoredOrderEvent, order?: OrderContext): OrderEvent {
  const definition = definitionOfVersion(row.type, row.schema_version);
  if (!definition)
    throw new Error(`stored event ${row.type} v${row.schema_version} is no released event version`);
  return upcastEvent(definition, row.data, order) as OrderEvent;
}

/**
 * A stream's rows, in version order, at their latest versions: the order's currency comes from its OrderCreated (or
 * `known`, for the rows after a version loaded before).
 */
export function latestOrderEvents(
  rows: readonly StoredOrderEvent[],
  /** The order's context when `rows` continue a stream loaded before (they do not start at its OrderCreated). */
  known?: OrderContext,
): OrderEvent[] {
  let order: OrderContext | undefined = known;
  return rows.map((row) => {
    const event = latestStoredEvent(row, order);
    if (event.type === 'OrderCreated') order = { currency: event.data.currency };
    return event;
  });
}

/**
 * A SQL expression: the currency of the order that `streamId` names (its OrderCreated, version 1 of every order
 * stream), when `cloudEventType` is a version whose upcast needs it, else NULL; the lookup runs only for those.
 * For statements that read a few events of a stream without its beginning (inline catch-up, the relay).
 */
export function orderCurrencyForUpcast(cloudEventType: string, streamId: string): string {
  const types = UPCASTS_NEEDING_ORDER_CURRENCY.map(sqlLiteral).join(', ');
  return `CASE WHEN ${cloudEventType} IN (${types}) THEN
    (SELECT oc.data->>'currency' FROM events oc WHERE oc.stream_id = ${streamId} AND oc.version = 1) END`;
}
