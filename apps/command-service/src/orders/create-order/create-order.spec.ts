import { InMemoryTransactions, options } from '../../test/in-memory-transactions';
import { CreateOrderCommand } from './create-order.command';
import { CreateOrderHandler } from './create-order.handler';

const customer = {
  customerId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  name: 'A',
  email: 'a@x.io',
  currency: 'SEK',
  creditLimit: 5,
  version: 1,
};

describe('CreateOrder', () => {
  it("opens a draft order in the customer's currency", async () => {
    const store = new InMemoryTransactions();
    store.customers.set(customer.customerId, customer);
    const answer = await new CreateOrderHandler(store).execute(
      new CreateOrderCommand({ customerId: customer.customerId }, options()),
    );
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
      new CreateOrderHandler(new InMemoryTransactions()).execute(
        new CreateOrderCommand({ customerId: customer.customerId }, options()),
      ),
    ).rejects.toMatchObject({ code: 'customer.not-found', kind: 'not-found' });
  });
});
