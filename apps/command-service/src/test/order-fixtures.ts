import type { OrderEvent } from '@tandem/contracts';
import { InMemoryTransactions } from './in-memory-transactions';

export const orderId = '9b2f5c1e-3a4d-4e8f-9c0b-1d2e3f4a5b6c';
const customerId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

/** A store holding one order: created, with one line for SKU "A", then `more` events. */
export function storeWithOrder(...more: OrderEvent[]): InMemoryTransactions {
  const store = new InMemoryTransactions();
  store.streams.set(orderId, [
    { type: 'OrderCreated', data: { orderId, customerId, currency: 'EUR' } },
    {
      type: 'OrderLineAdded',
      data: { orderId, sku: 'A', quantity: 1, unitPrice: { amount: 10, currency: 'EUR' } },
    },
    ...more,
  ]);
  return store;
}

export const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: { orderId, customerId, total: 10, currency: 'EUR' },
};
