import { InMemoryTransactions, options } from '../../test/in-memory-transactions';
import { PlaceOrderCommand } from './place-order.command';
import { PlaceOrderHandler } from './place-order.handler';

const orderId = '9b2f5c1e-3a4d-4e8f-9c0b-1d2e3f4a5b6c';
const customerId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

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
    { type: 'OrderLineAdded', data: { orderId, sku: 'A', quantity: 1, unitPrice: total } },
  ]);
  return store;
}

describe('PlaceOrder', () => {
  it("places an order within the customer's current credit limit", async () => {
    const answer = await new PlaceOrderHandler(withOrderOf(100, 100)).execute(
      new PlaceOrderCommand(orderId, options()),
    );
    expect(answer.body.version).toBe(3);
  });

  it('refuses an order over the limit', async () => {
    await expect(
      new PlaceOrderHandler(withOrderOf(101, 100)).execute(new PlaceOrderCommand(orderId, options())),
    ).rejects.toMatchObject({ code: 'order.credit-limit-exceeded' });
  });
});
