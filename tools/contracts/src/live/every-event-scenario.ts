import { randomUUID } from 'node:crypto';
import { EVENT_TOPICS, TOPICS } from '@tandem/contracts';

const topicsOf = (aggregate: 'order' | 'customer'): number =>
  EVENT_TOPICS.filter((topic) => TOPICS[topic].aggregate === aggregate).length;

/**
 * Commands through the gateway that make the system publish every event it has (every type, both `previousStatus`
 * values of a cancellation): what the AsyncAPI conformance test checks the document against, and what
 * `npm run docs:asyncapi -- --capture` takes its examples from.
 */
export interface ScenarioResult {
  customerId: string;
  orderIds: string[];
  /** How many events the scenario makes the system publish. */
  events: number;
  /** How many Kafka messages they are: an order event is on both order topics while orders.order.v1 is published. */
  messages: number;
}

/** Who sends the scenario's commands: `Authorization` header values of a customer's account and of staff. */
export interface ScenarioCallers {
  /** A customer account with no customer record yet, and its verified email (it registers itself). */
  customer: { authorization: string; email: string };
  staff: { authorization: string };
}

/** The one HTTP call of the scenario: a command with its idempotency key, as one of the callers. */
async function send(
  api: string,
  method: string,
  url: string,
  correlationId: string,
  authorization: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${api}${url}`, {
    method,
    headers: {
      authorization,
      'idempotency-key': randomUUID(),
      'x-correlation-id': correlationId,
      // JSON even without a body: a bodiless POST must not be a CORS simple request (415 otherwise).
      'content-type': 'application/json',
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return text.length > 0 ? JSON.parse(text) : undefined;
}

const idOf = (body: unknown): string => {
  const id = (body as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'string') throw new Error(`no id in ${JSON.stringify(body)}`);
  return id;
};

/** `api` is the gateway's `/api` base URL. */
export async function runEveryEventScenario(
  api: string,
  callers: ScenarioCallers,
  correlationId = `scenario-${randomUUID()}`,
): Promise<ScenarioResult> {
  // The customer's own commands, and the ones only staff may send (raise a credit limit, ship).
  const command = (method: string, url: string, body?: unknown) =>
    send(api, method, url, correlationId, callers.customer.authorization, body);
  const staff = (method: string, url: string, body?: unknown) =>
    send(api, method, url, correlationId, callers.staff.authorization, body);
  // Registered by the customer itself: its CustomerRegistered carries ce_ownersubject.
  const customerId = idOf(
    await command('POST', '/customers', {
      name: 'Ada Lovelace',
      email: callers.customer.email,
      currency: 'EUR',
      creditLimit: 500_000,
    }),
  );
  await staff('PUT', `/customers/${customerId}/credit-limit`, { creditLimit: 1_000_000 });

  const shipped = idOf(await command('POST', '/orders', { customerId }));
  await command('POST', `/orders/${shipped}/lines`, { sku: 'BOOK-1', quantity: 2, unitPrice: 1999 });
  await command('POST', `/orders/${shipped}/lines`, { sku: 'MUG-3', quantity: 1, unitPrice: 899 });
  await command('DELETE', `/orders/${shipped}/lines/MUG-3`);
  await command('POST', `/orders/${shipped}/place`);
  await staff('POST', `/orders/${shipped}/ship`);

  const cancelledPlaced = idOf(await command('POST', '/orders', { customerId }));
  await command('POST', `/orders/${cancelledPlaced}/lines`, { sku: 'PEN-7', quantity: 3, unitPrice: 250 });
  await command('POST', `/orders/${cancelledPlaced}/place`);
  await command('POST', `/orders/${cancelledPlaced}/cancel`, { reason: 'changed my mind' });

  const cancelledDraft = idOf(await command('POST', '/orders', { customerId }));
  await command('POST', `/orders/${cancelledDraft}/cancel`, { reason: 'ordered by mistake' });

  // 2 customer events; 6 + 4 + 2 order events.
  const [customerEvents, orderEvents] = [2, 12];
  return {
    customerId,
    orderIds: [shipped, cancelledPlaced, cancelledDraft],
    events: customerEvents + orderEvents,
    messages: customerEvents * topicsOf('customer') + orderEvents * topicsOf('order'),
  };
}
