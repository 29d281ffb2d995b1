import { randomUUID } from 'node:crypto';
import { waitFor } from '@tandem/platform/testing';
import { call, startE2eStack, type E2eStack, type JsonResponse } from './support';

/**
 * Every public route × every kind of caller → the documented status (ARCHITECTURE decision 11, docs/api.md):
 * anonymous, customer1 on its own data, customer1 on customer2's data, staff1, admin1. Another customer's data
 * answers 404 exactly as missing data does. The table must name every operation of the OpenAPI document: a route
 * added without a row here fails this test (and one without a declared requirement does not even start).
 */
let e2e: E2eStack;

type Caller = 'anonymous' | 'own' | 'other' | 'staff' | 'admin';
const CALLERS: readonly Caller[] = ['anonymous', 'own', 'other', 'staff', 'admin'];

interface World {
  /** customer1's customer record, a draft order with a line and the key of its last command; customer2's. */
  mine: { customer: string; order: string; command: string };
  theirs: { customer: string; order: string; command: string };
}

interface Cell {
  method: string;
  /** The path, from the world and whose data the caller aims at (`theirs` only for `other`). */
  path(target: World['mine'], world: World, caller: Caller): Promise<string> | string;
  body?: (target: World['mine'], caller: Caller) => unknown;
  /** A live stream (Server-Sent Events): only its status and headers are read, then it is closed. */
  stream?: true;
  expected: Record<Caller, number>;
}

const headersOf = async (caller: Caller): Promise<Record<string, string>> => {
  const user = { anonymous: null, own: 'customer1', other: 'customer1', staff: 'staff1', admin: 'admin1' }[
    caller
  ];
  return user === null ? { authorization: '' } : e2e.authAs(user);
};

async function send(
  method: string,
  path: string,
  caller: Caller | 'customer2',
  body?: unknown,
): Promise<JsonResponse> {
  const headers = caller === 'customer2' ? await e2e.authAs('customer2') : await headersOf(caller);
  return call(method, `${e2e.api}${path}`, {
    headers: { ...headers, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body }),
  });
}

/** A live stream's answer: its status and headers, and its body only when it is not a stream (a problem). */
async function openLive(path: string, caller: Caller): Promise<JsonResponse> {
  const headers = await headersOf(caller);
  if (headers['authorization'] === '') delete headers['authorization'];
  const connection = new AbortController();
  const response = await fetch(`${e2e.api}${path}`, { headers, signal: connection.signal });
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
    connection.abort();
    return { status: response.status, headers: response.headers, body: undefined };
  }
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** A fresh draft order with one line, for a command that uses one up (place, cancel, remove a line). */
async function freshOrder(customer: string, caller: Caller): Promise<string> {
  const owner = caller === 'other' ? 'customer2' : caller === 'own' ? 'own' : 'staff';
  const created = await send('POST', '/orders', owner, { customerId: customer });
  const id = (created.body as { id: string }).id;
  await send('POST', `/orders/${id}/lines`, owner, { sku: 'LINE', quantity: 1, unitPrice: 100 });
  return id;
}

const ROWS: Record<string, Cell> = {
  registerCustomer: {
    method: 'POST',
    path: () => '/customers',
    // A customer registers itself once (409 after), with its own verified email; staff registers anyone.
    body: (_, caller) => ({
      name: 'Someone',
      email: caller === 'staff' ? `walk-in-${randomUUID()}@example.com` : 'customer1@example.com',
      currency: 'EUR',
      creditLimit: 1000,
    }),
    expected: { anonymous: 401, own: 409, other: 409, staff: 201, admin: 403 },
  },
  changeCreditLimit: {
    method: 'PUT',
    path: (t) => `/customers/${t.customer}/credit-limit`,
    body: () => ({ creditLimit: 5000 }),
    expected: { anonymous: 401, own: 403, other: 403, staff: 200, admin: 403 },
  },
  getCustomer: {
    method: 'GET',
    path: (t) => `/customers/${t.customer}`,
    expected: { anonymous: 401, own: 200, other: 404, staff: 200, admin: 403 },
  },
  createOrder: {
    method: 'POST',
    path: () => '/orders',
    body: (t) => ({ customerId: t.customer }),
    expected: { anonymous: 401, own: 201, other: 404, staff: 201, admin: 403 },
  },
  addOrderLine: {
    method: 'POST',
    path: (t) => `/orders/${t.order}/lines`,
    body: () => ({ sku: `SKU-${randomUUID().slice(0, 8)}`, quantity: 1, unitPrice: 10 }),
    expected: { anonymous: 401, own: 200, other: 404, staff: 200, admin: 403 },
  },
  removeOrderLine: {
    method: 'DELETE',
    path: async (t, _w, caller) => `/orders/${await freshOrder(t.customer, caller)}/lines/LINE`,
    expected: { anonymous: 401, own: 200, other: 404, staff: 200, admin: 403 },
  },
  placeOrder: {
    method: 'POST',
    path: async (t, _w, caller) => `/orders/${await freshOrder(t.customer, caller)}/place`,
    expected: { anonymous: 401, own: 200, other: 404, staff: 200, admin: 403 },
  },
  shipOrder: {
    method: 'POST',
    path: async (t, _w, caller) => {
      const id = await freshOrder(t.customer, caller);
      await send('POST', `/orders/${id}/place`, caller === 'other' ? 'customer2' : 'staff');
      return `/orders/${id}/ship`;
    },
    expected: { anonymous: 401, own: 403, other: 403, staff: 200, admin: 403 },
  },
  cancelOrder: {
    method: 'POST',
    path: async (t, _w, caller) => `/orders/${await freshOrder(t.customer, caller)}/cancel`,
    body: () => ({ reason: 'changed my mind' }),
    expected: { anonymous: 401, own: 200, other: 404, staff: 200, admin: 403 },
  },
  getOrder: {
    method: 'GET',
    path: (t) => `/orders/${t.order}`,
    expected: { anonymous: 401, own: 200, other: 404, staff: 200, admin: 403 },
  },
  listOrders: {
    method: 'GET',
    path: (t) => `/orders?customerId=${t.customer}`,
    // 200 for customer1 on customer2's filter too, but with none of customer2's orders (checked below).
    expected: { anonymous: 401, own: 200, other: 200, staff: 200, admin: 403 },
  },
  watchOrder: {
    method: 'GET',
    path: (t) => `/orders/${t.order}/live`,
    stream: true,
    expected: { anonymous: 401, own: 200, other: 404, staff: 200, admin: 403 },
  },
  watchOrders: {
    method: 'GET',
    path: (t) => `/orders/live?customerId=${t.customer}`,
    stream: true,
    // 200 for customer1 on customer2's filter too: its stream holds its own orders only (live-order-streams.int-spec.ts).
    expected: { anonymous: 401, own: 200, other: 200, staff: 200, admin: 403 },
  },
  getDailySales: {
    method: 'GET',
    path: () => '/reports/daily-sales?from=2026-01-01&to=2026-01-31',
    expected: { anonymous: 401, own: 403, other: 403, staff: 200, admin: 403 },
  },
  listProjections: {
    method: 'GET',
    path: () => '/admin/projections',
    expected: { anonymous: 401, own: 403, other: 403, staff: 403, admin: 200 },
  },
  getCommandStatus: {
    method: 'GET',
    path: (t) => `/commands/${t.command}`,
    // Another's key answers as an unknown one.
    expected: { anonymous: 401, own: 200, other: 404, staff: 200, admin: 403 },
  },
};

let world: World;

beforeAll(async () => {
  e2e = await startE2eStack('authorization_matrix');
  const register = async (user: 'customer1' | 'customer2') => {
    const as = async () => ({ ...(await e2e.authAs(user)), 'idempotency-key': randomUUID() });
    const body = { name: user, email: `${user}@example.com`, currency: 'EUR', creditLimit: 100_000 };
    const customer = (await call('POST', `${e2e.api}/customers`, { headers: await as(), body })).body as {
      id: string;
    };
    const order = (
      await call('POST', `${e2e.api}/orders`, { headers: await as(), body: { customerId: customer.id } })
    ).body as { id: string };
    const command = randomUUID();
    await call('POST', `${e2e.api}/orders/${order.id}/lines`, {
      headers: { ...(await as()), 'idempotency-key': command },
      body: { sku: 'FIRST', quantity: 1, unitPrice: 100 },
    });
    return { customer: customer.id, order: order.id, command };
  };
  world = { mine: await register('customer1'), theirs: await register('customer2') };
  // Reads come from the read models: wait until both owners' records and orders are there.
  for (const [user, mine] of [
    ['customer1', world.mine],
    ['customer2', world.theirs],
  ] as const) {
    const headers = await e2e.authAs(user);
    await waitFor(
      async () =>
        (await call('GET', `${e2e.api}/orders/${mine.order}`, { headers })).status === 200 &&
        (await call('GET', `${e2e.api}/customers/${mine.customer}`, { headers })).status === 200,
      { what: `${user}'s records on the read side`, timeoutMs: 30_000 },
    );
  }
}, 120_000);

afterAll(() => e2e?.stop());

describe('the authorization matrix', () => {
  it('names every operation of the OpenAPI document', async () => {
    const document = (await call('GET', `${e2e.api}/openapi.json`, { headers: { authorization: '' } }))
      .body as {
      paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>>;
    };
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    const isPublic = (o: { security?: unknown[] }) => (o.security ?? []).length === 0;
    // Public: the probes alone (the documents themselves are not operations of the document).
    expect(
      operations
        .filter(isPublic)
        .map((o) => o.operationId)
        .sort(),
    ).toEqual(['HealthController_live', 'HealthController_ready']);
    const protectedOnes = operations.filter((o) => !isPublic(o));
    expect(protectedOnes.map((o) => o.operationId).sort()).toEqual(Object.keys(ROWS).sort());
    for (const operation of protectedOnes) expect(operation.security).toEqual([{ bearer: [] }]);
  });

  describe.each(Object.entries(ROWS))('%s', (_, row) => {
    it.each(CALLERS)('as %s', async (caller) => {
      const target = caller === 'other' ? world.theirs : world.mine;
      const path = await row.path(target, world, caller);
      const answer = row.stream
        ? await openLive(path, caller)
        : await send(row.method, path, caller, row.body?.(target, caller));
      expect({ caller, status: answer.status, body: answer.body }).toMatchObject({
        caller,
        status: row.expected[caller],
      });
      if (answer.status === 401) expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
      if (answer.status >= 400)
        expect(answer.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  it("answers another's order exactly as a missing one", async () => {
    const theirs = await send('GET', `/orders/${world.theirs.order}`, 'own');
    const missing = await send('GET', `/orders/${randomUUID()}`, 'own');
    expect(theirs.status).toBe(404);
    expect((theirs.body as { code: string }).code).toBe((missing.body as { code: string }).code);
  });

  it("lists none of another's orders whatever the filters say", async () => {
    const filtered = await send('GET', `/orders?customerId=${world.theirs.customer}`, 'own');
    expect((filtered.body as { items: unknown[] }).items).toEqual([]);
    const all = (await send('GET', '/orders?limit=100', 'own')).body as {
      items: Array<{ customerId: string }>;
    };
    expect(all.items.length).toBeGreaterThan(0);
    expect(all.items.every((order) => order.customerId === world.mine.customer)).toBe(true);
  });
});
