import { randomUUID } from 'node:crypto';

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
}

/** The one HTTP call of the scenario: a command with its idempotency key (an `Authorization` header goes here). */
async function send(
  api: string,
  method: string,
  url: string,
  correlationId: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${api}${url}`, {
    method,
    headers: {
      'idempotency-key': randomUUID(),
      'x-correlation-id': correlationId,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
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
  correlationId = `scenario-${randomUUID()}`,
): Promise<ScenarioResult> {
  const command = (method: string, url: string, body?: unknown) =>
    send(api, method, url, correlationId, body);
  const customerId = idOf(
    await command('POST', '/customers', {
      name: 'Ada Lovelace',
      email: `ada+${randomUUID().slice(0, 8)}@example.com`,
      currency: 'EUR',
      creditLimit: 500_000,
    }),
  );
  await command('PUT', `/customers/${customerId}/credit-limit`, { creditLimit: 1_000_000 });

  const shipped = idOf(await command('POST', '/orders', { customerId }));
  await command('POST', `/orders/${shipped}/lines`, { sku: 'BOOK-1', quantity: 2, unitPrice: 1999 });
  await command('POST', `/orders/${shipped}/lines`, { sku: 'MUG-3', quantity: 1, unitPrice: 899 });
  await command('DELETE', `/orders/${shipped}/lines/MUG-3`);
  await command('POST', `/orders/${shipped}/place`);
  await command('POST', `/orders/${shipped}/ship`);

  const cancelledPlaced = idOf(await command('POST', '/orders', { customerId }));
  await command('POST', `/orders/${cancelledPlaced}/lines`, { sku: 'PEN-7', quantity: 3, unitPrice: 250 });
  await command('POST', `/orders/${cancelledPlaced}/place`);
  await command('POST', `/orders/${cancelledPlaced}/cancel`, { reason: 'changed my mind' });

  const cancelledDraft = idOf(await command('POST', '/orders', { customerId }));
  await command('POST', `/orders/${cancelledDraft}/cancel`, { reason: 'ordered by mistake' });

  // 2 customer events; 6 + 4 + 2 order events.
  return { customerId, orderIds: [shipped, cancelledPlaced, cancelledDraft], events: 14 };
}
