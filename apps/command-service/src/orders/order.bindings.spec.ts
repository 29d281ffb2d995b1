import { InMemoryTransactions } from '../test/in-memory-transactions';
import { orderId, placed, storeWithOrder } from '../test/order-fixtures';
import { principal, sendOrderCommand } from '../test/send-command';

// Each order command of the table, sent through its binding and the order handler on an in-memory store.

const customerId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('CreateOrder', () => {
  const customer = {
    customerId,
    name: 'A',
    email: 'a@x.io',
    currency: 'SEK',
    creditLimit: 5,
    version: 1,
  };

  it("opens a draft order in the customer's currency", async () => {
    const store = new InMemoryTransactions();
    store.customers.set(customer.customerId, customer);
    const answer = await sendOrderCommand(store, 'CreateOrder', {
      params: {},
      body: { customerId: customer.customerId },
    });
    expect(answer).toMatchObject({
      status: 201,
      location: `/api/orders/${answer.body.id}`,
      body: { version: 1 },
    });
    expect(store.streams.get(answer.body.id)?.[0]).toMatchObject({
      type: 'OrderCreated',
      data: { currency: 'SEK' },
    });
  });

  it('answers an unknown customer with customer.not-found', async () => {
    await expect(
      sendOrderCommand(new InMemoryTransactions(), 'CreateOrder', {
        params: {},
        body: { customerId: customer.customerId },
      }),
    ).rejects.toMatchObject({ code: 'customer.not-found', kind: 'not-found' });
  });
});

describe('AddOrderLine', () => {
  const line = { sku: 'A', quantity: 2, unitPrice: 10 };

  function withDraft(): InMemoryTransactions {
    const store = new InMemoryTransactions();
    store.streams.set(orderId, [
      { type: 'OrderCreated', data: { orderId, customerId: orderId, currency: 'EUR' } },
    ]);
    return store;
  }

  it('appends OrderLineAdded after the loaded version and answers 200 with the new version', async () => {
    const store = withDraft();
    const answer = await sendOrderCommand(store, 'AddOrderLine', { params: { id: orderId }, body: line });
    expect(answer).toMatchObject({ status: 200, body: { id: orderId, version: 2 } });
    expect(answer.location).toBeUndefined();
  });

  it('answers a stale If-Match with a version mismatch and appends nothing', async () => {
    const store = withDraft();
    await expect(
      sendOrderCommand(store, 'AddOrderLine', { params: { id: orderId }, body: line }, 5),
    ).rejects.toMatchObject({ code: 'precondition.version-mismatch', kind: 'precondition-failed' });
    expect(store.streams.get(orderId)).toHaveLength(1);
  });

  it('answers an unknown order with order.not-found', async () => {
    await expect(
      sendOrderCommand(new InMemoryTransactions(), 'AddOrderLine', { params: { id: orderId }, body: line }),
    ).rejects.toMatchObject({ code: 'order.not-found' });
  });
});

describe('RemoveOrderLine', () => {
  it('removes an existing line', async () => {
    const answer = await sendOrderCommand(storeWithOrder(), 'RemoveOrderLine', {
      params: { id: orderId, sku: 'A' },
    });
    expect(answer.body.version).toBe(3);
  });

  it('refuses a line that is not there', async () => {
    await expect(
      sendOrderCommand(storeWithOrder(), 'RemoveOrderLine', { params: { id: orderId, sku: 'B' } }),
    ).rejects.toMatchObject({ code: 'order.line-not-found' });
  });
});

describe('PlaceOrder', () => {
  function withOrderOf(total: number, creditLimit: number): InMemoryTransactions {
    const store = new InMemoryTransactions();
    store.customers.set(customerId, {
      customerId,
      name: 'A',
      email: 'a@x.io',
      currency: 'EUR',
      creditLimit,
      version: 1,
    });
    store.streams.set(orderId, [
      { type: 'OrderCreated', data: { orderId, customerId, currency: 'EUR' } },
      {
        type: 'OrderLineAdded',
        data: { orderId, sku: 'A', quantity: 1, unitPrice: { amount: total, currency: 'EUR' } },
      },
    ]);
    return store;
  }

  it("places an order within the customer's current credit limit", async () => {
    const answer = await sendOrderCommand(withOrderOf(100, 100), 'PlaceOrder', { params: { id: orderId } });
    expect(answer.body.version).toBe(3);
  });

  it('refuses an order over the limit', async () => {
    await expect(
      sendOrderCommand(withOrderOf(101, 100), 'PlaceOrder', { params: { id: orderId } }),
    ).rejects.toMatchObject({ code: 'order.credit-limit-exceeded' });
  });
});

describe('ShipOrder', () => {
  it('ships a placed order', async () => {
    const answer = await sendOrderCommand(storeWithOrder(placed), 'ShipOrder', { params: { id: orderId } });
    expect(answer.body.version).toBe(4);
  });

  it('refuses a draft', async () => {
    await expect(
      sendOrderCommand(storeWithOrder(), 'ShipOrder', { params: { id: orderId } }),
    ).rejects.toMatchObject({ code: 'order.not-placed' });
  });
});

describe('CancelOrder', () => {
  it('cancels a placed order with its reason', async () => {
    const store = storeWithOrder(placed);
    const answer = await sendOrderCommand(store, 'CancelOrder', {
      params: { id: orderId },
      body: { reason: 'changed my mind' },
    });
    expect(answer.body.version).toBe(4);
    expect(store.streams.get(orderId)?.at(-1)).toMatchObject({ type: 'OrderCancelled' });
  });

  it('refuses an order cancelled already', async () => {
    const store = storeWithOrder(placed);
    await sendOrderCommand(store, 'CancelOrder', { params: { id: orderId }, body: { reason: 'once' } });
    await expect(
      sendOrderCommand(store, 'CancelOrder', { params: { id: orderId }, body: { reason: 'twice' } }),
    ).rejects.toMatchObject({ code: 'order.already-cancelled' });
  });
});

describe('a customer reaches only its own orders', () => {
  const ann = principal('ann-sub', ['customer']);
  const bob = principal('bob-sub', ['customer']);
  const owned = {
    customerId,
    name: 'Ann',
    email: 'ann@x.io',
    currency: 'EUR',
    creditLimit: 10_000,
    version: 1,
  };

  function annsStore(): InMemoryTransactions {
    const store = new InMemoryTransactions();
    store.customers.set(customerId, { ...owned, ownerSubject: 'ann-sub' });
    return store;
  }

  it('orders for its own customer record, and not for another', async () => {
    const store = annsStore();
    await expect(
      sendOrderCommand(store, 'CreateOrder', { params: {}, body: { customerId }, principal: ann }),
    ).resolves.toMatchObject({ status: 201 });
    await expect(
      sendOrderCommand(store, 'CreateOrder', { params: {}, body: { customerId }, principal: bob }),
    ).rejects.toMatchObject({ code: 'customer.not-found' });
  });

  it.each([
    ['AddOrderLine', { sku: 'A', quantity: 1, unitPrice: 1 }],
    ['PlaceOrder', undefined],
    ['CancelOrder', { reason: 'no' }],
  ] as const)("answers %s on another's order as order.not-found", async (name, body) => {
    const store = annsStore();
    const { body: order } = await sendOrderCommand(store, 'CreateOrder', {
      params: {},
      body: { customerId },
      principal: ann,
    });
    const request = { params: { id: order.id }, ...(body ? { body } : {}), principal: bob };
    // The same answer a missing order gets: nothing says that this one exists.
    await expect(sendOrderCommand(store, name, request as never)).rejects.toMatchObject({
      code: 'order.not-found',
    });
    await expect(
      sendOrderCommand(store, 'AddOrderLine', {
        params: { id: order.id },
        body: { sku: 'A', quantity: 1, unitPrice: 1 },
        principal: ann,
      }),
    ).resolves.toMatchObject({ status: 200 });
  });

  it('lets staff act on any order', async () => {
    const store = annsStore();
    const { body: order } = await sendOrderCommand(store, 'CreateOrder', {
      params: {},
      body: { customerId },
      principal: ann,
    });
    await expect(
      sendOrderCommand(store, 'CancelOrder', {
        params: { id: order.id },
        body: { reason: 'on request' },
        principal: principal('staff-sub', ['staff']),
      }),
    ).resolves.toMatchObject({ status: 200 });
  });
});
