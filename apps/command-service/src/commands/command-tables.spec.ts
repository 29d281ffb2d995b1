import {
  CUSTOMER_COMMANDS,
  ORDER_COMMANDS,
  type CustomerCommandName,
  type OrderCommandName,
  type OrderEvent,
  type TandemEventName,
} from '@tandem/contracts';
import { DomainError, type CustomerState } from '@tandem/write/domain';
import { InMemoryTransactions } from '../test/in-memory-transactions';
import { orderId, placed } from '../test/order-fixtures';
import { sendCustomerCommand, sendOrderCommand, type TestRequest } from '../test/send-command';

// A table's `emits` is published (a feature map is built from it): it must be what the decider records. Each
// command runs, through its binding and handler, against its aggregate in every state; the event types of the runs
// it accepts must be the ones its table declares, no fewer and no more.

const customerId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const customer: CustomerState = {
  customerId,
  name: 'Ann',
  email: 'ann@example.com',
  currency: 'EUR',
  creditLimit: 1000,
  version: 1,
};

const created: OrderEvent = { type: 'OrderCreated', data: { orderId, customerId, currency: 'EUR' } };
const lineAdded: OrderEvent = {
  type: 'OrderLineAdded',
  data: { orderId, sku: 'A', quantity: 1, unitPrice: { amount: 10, currency: 'EUR' } },
};
const ORDER_STREAMS: Record<string, OrderEvent[]> = {
  'no order': [],
  'an empty draft': [created],
  'a draft with a line': [created, lineAdded],
  'a placed order': [created, lineAdded, placed],
  'a shipped order': [
    created,
    lineAdded,
    placed,
    { type: 'OrderShipped', data: { orderId, customerId, total: 10, currency: 'EUR' } },
  ],
  'a cancelled order': [
    created,
    lineAdded,
    {
      type: 'OrderCancelled',
      data: { orderId, customerId, reason: 'r', previousStatus: 'draft', total: 10, currency: 'EUR' },
    },
  ],
};

const ORDER_REQUESTS: { [Name in OrderCommandName]: TestRequest<(typeof ORDER_COMMANDS)[Name]> } = {
  CreateOrder: { params: {}, body: { customerId } },
  AddOrderLine: { params: { id: orderId }, body: { sku: 'B', quantity: 2, unitPrice: 5 } },
  RemoveOrderLine: { params: { id: orderId, sku: 'A' } },
  PlaceOrder: { params: { id: orderId } },
  ShipOrder: { params: { id: orderId } },
  CancelOrder: { params: { id: orderId }, body: { reason: 'changed my mind' } },
};

const CUSTOMER_ROWS: Record<string, CustomerState | null> = { 'no customer': null, 'a customer': customer };

const CUSTOMER_REQUESTS: {
  [Name in CustomerCommandName]: TestRequest<(typeof CUSTOMER_COMMANDS)[Name]>;
} = {
  RegisterCustomer: {
    params: {},
    body: { name: 'Bo', email: 'bo@example.com', currency: 'SEK', creditLimit: 5 },
  },
  ChangeCreditLimit: { params: { id: customerId }, body: { creditLimit: 9 } },
};

/** The types of the events a run records, or none when the domain refuses it. */
async function recorded(run: () => Promise<unknown>, events: () => readonly { type: TandemEventName }[]) {
  const before = events().length;
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return [];
    throw error;
  }
  return events()
    .slice(before)
    .map((event) => event.type);
}

async function orderEventTypes<Name extends OrderCommandName>(name: Name): Promise<Set<TandemEventName>> {
  const types = new Set<TandemEventName>();
  for (const stream of Object.values(ORDER_STREAMS)) {
    const store = new InMemoryTransactions();
    store.customers.set(customerId, customer);
    if (stream.length > 0) store.streams.set(orderId, [...stream]);
    const run = () => sendOrderCommand(store, name, ORDER_REQUESTS[name]);
    for (const type of await recorded(run, () => [...store.streams.values()].flat())) types.add(type);
  }
  return types;
}

async function customerEventTypes<Name extends CustomerCommandName>(
  name: Name,
): Promise<Set<TandemEventName>> {
  const types = new Set<TandemEventName>();
  for (const row of Object.values(CUSTOMER_ROWS)) {
    const store = new InMemoryTransactions();
    if (row !== null) store.customers.set(row.customerId, row);
    const run = () => sendCustomerCommand(store, name, CUSTOMER_REQUESTS[name]);
    for (const type of await recorded(run, () => store.customerEvents)) types.add(type);
  }
  return types;
}

describe("each table's emits is what the decider records", () => {
  it.each(Object.keys(ORDER_COMMANDS) as OrderCommandName[])('%s', async (name) => {
    expect([...(await orderEventTypes(name))].sort()).toEqual([...ORDER_COMMANDS[name].emits].sort());
  });

  it.each(Object.keys(CUSTOMER_COMMANDS) as CustomerCommandName[])('%s', async (name) => {
    expect([...(await customerEventTypes(name))].sort()).toEqual([...CUSTOMER_COMMANDS[name].emits].sort());
  });
});
