import type { EventDefinition } from '../event-definition';
import {
  CustomerCreditLimitChangedV1,
  type CustomerCreditLimitChanged,
} from './customer-credit-limit-changed.event';
import { CustomerRegisteredV1, type CustomerRegistered } from './customer-registered.event';
import { OrderCancelledV1, type OrderCancelled } from './order-cancelled.event';
import { OrderCreatedV1, type OrderCreated } from './order-created.event';
import { OrderLineAddedV1, type OrderLineAdded } from './order-line-added.event';
import { OrderLineRemovedV1, type OrderLineRemoved } from './order-line-removed.event';
import { OrderPlacedV1, type OrderPlaced } from './order-placed.event';
import { OrderShippedV1, type OrderShipped } from './order-shipped.event';

export type OrderEvent =
  | { type: 'OrderCreated'; data: OrderCreated }
  | { type: 'OrderLineAdded'; data: OrderLineAdded }
  | { type: 'OrderLineRemoved'; data: OrderLineRemoved }
  | { type: 'OrderPlaced'; data: OrderPlaced }
  | { type: 'OrderShipped'; data: OrderShipped }
  | { type: 'OrderCancelled'; data: OrderCancelled };

export type CustomerEvent =
  | { type: 'CustomerRegistered'; data: CustomerRegistered }
  | { type: 'CustomerCreditLimitChanged'; data: CustomerCreditLimitChanged };

/** Every event Tandem publishes, as `{ type, data }` with `type` the event name. */
export type TandemEvent = OrderEvent | CustomerEvent;
export type TandemEventName = TandemEvent['type'];

/** The current definition of every event, one per name. */
export const EVENT_CATALOG: Record<TandemEventName, EventDefinition> = {
  OrderCreated: OrderCreatedV1,
  OrderLineAdded: OrderLineAddedV1,
  OrderLineRemoved: OrderLineRemovedV1,
  OrderPlaced: OrderPlacedV1,
  OrderShipped: OrderShippedV1,
  OrderCancelled: OrderCancelledV1,
  CustomerRegistered: CustomerRegisteredV1,
  CustomerCreditLimitChanged: CustomerCreditLimitChangedV1,
};

const byCloudEventType = new Map(Object.values(EVENT_CATALOG).map((d) => [d.type, d]));

export function definitionOf(name: TandemEventName): EventDefinition {
  return EVENT_CATALOG[name];
}

export type ParsedEvent =
  | { ok: true; event: TandemEvent; definition: EventDefinition }
  | { ok: false; reason: 'unknown-type' | 'unknown-version' | 'invalid-payload'; message: string };

/**
 * Validates a payload against the schema named by its CloudEvents type. A consumer treats every `ok: false` as a
 * poison message: retrying cannot fix it.
 */
export function parseEvent(cloudEventType: string, payload: unknown): ParsedEvent {
  const definition = byCloudEventType.get(cloudEventType);
  if (!definition) {
    const match = /^tandem\.orders\.([A-Za-z]+)\.v(\d+)$/.exec(cloudEventType);
    if (match && match[1] in EVENT_CATALOG) {
      return {
        ok: false,
        reason: 'unknown-version',
        message: `event ${match[1]} has major version ${match[2]}, this consumer understands only v${EVENT_CATALOG[match[1] as TandemEventName].version}`,
      };
    }
    return { ok: false, reason: 'unknown-type', message: `unknown event type "${cloudEventType}"` };
  }
  const result = definition.schema.safeParse(payload);
  if (!result.success) {
    const detail = result.error.issues
      .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`)
      .join('; ');
    return {
      ok: false,
      reason: 'invalid-payload',
      message: `${definition.name} payload is invalid: ${detail}`,
    };
  }
  return { ok: true, definition, event: { type: definition.name, data: result.data } as TandemEvent };
}
