import {
  CUSTOMER_COMMANDS,
  ORDER_COMMANDS,
  type CustomerCommandName,
  type OrderCommandName,
  type OrderEvent,
  type TandemEventName,
} from '@tandem/contracts';
import { HTTP_PROBLEM_CODES, ProblemException } from '@tandem/platform/http';
import { DOMAIN_ERROR_CODES, DomainError, type CustomerState } from '@tandem/write/domain';
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

const KIND_STATUS = { 'not-found': 404, conflict: 409, invalid: 400 } as const;

/** Every refusal seen while running the commands, by command: code → the status it is answered with. */
const refusals = new Map<string, Map<string, number>>();

function refused(command: string, code: string, status: number): void {
  const seen = refusals.get(command) ?? new Map<string, number>();
  seen.set(code, status);
  refusals.set(command, seen);
}

/** The types of the events a run records, or none when the domain refuses it (the refusal is noted). */
async function recorded(
  command: string,
  run: () => Promise<unknown>,
  events: () => readonly { type: TandemEventName }[],
) {
  const before = events().length;
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) {
      refused(command, error.code, KIND_STATUS[error.kind]);
      return [];
    }
    if (error instanceof ProblemException && error.problem.status < 500) {
      refused(command, error.problem.code, error.problem.status);
      return [];
    }
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
    for (const type of await recorded(name, run, () => [...store.streams.values()].flat())) types.add(type);
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
    for (const type of await recorded(name, run, () => store.customerEvents)) types.add(type);
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

// A table's `rejects` is published too (each operation's problem codes in the OpenAPI document, the typed client's
// code union): every refusal a run above met must be listed with the status it was answered with, and every code
// listed must be catalogued, with that status.
describe("each table's rejects", () => {
  const tables: Record<string, { rejects: Readonly<Record<string, number>> }> = {
    ...ORDER_COMMANDS,
    ...CUSTOMER_COMMANDS,
  };
  const catalogued = (code: string): number | undefined =>
    code in DOMAIN_ERROR_CODES
      ? KIND_STATUS[DOMAIN_ERROR_CODES[code as keyof typeof DOMAIN_ERROR_CODES].kind]
      : HTTP_PROBLEM_CODES[code as keyof typeof HTTP_PROBLEM_CODES]?.status;

  it.each(Object.keys(tables))('%s lists every refusal its runs met, with its status', (name) => {
    for (const [code, status] of refusals.get(name) ?? []) {
      expect({ code, status: tables[name]?.rejects[code] }).toEqual({ code, status });
    }
  });

  it.each(Object.keys(tables))('%s lists only catalogued codes, with their status', (name) => {
    for (const [code, status] of Object.entries(tables[name]?.rejects ?? {})) {
      expect({ code, status: catalogued(code) }).toEqual({ code, status });
    }
  });

  it('met refusals at all (the runs above reach the rules)', () => {
    expect([...refusals.values()].reduce((n, seen) => n + seen.size, 0)).toBeGreaterThan(10);
  });

  it('together name every domain code a client can meet', () => {
    const listed = new Set(Object.values(tables).flatMap((route) => Object.keys(route.rejects)));
    // Ids are the server's, so an id that exists already cannot be sent through the API.
    const unreachable = ['order.already-exists', 'customer.already-exists'];
    expect(Object.keys(DOMAIN_ERROR_CODES).filter((code) => !listed.has(code))).toEqual(unreachable);
  });
});
