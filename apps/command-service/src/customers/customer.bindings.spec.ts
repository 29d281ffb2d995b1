import { decodeConsistencyToken } from '@tandem/contracts';
import { InMemoryTransactions } from '../test/in-memory-transactions';
import { sendCustomerCommand } from '../test/send-command';

// Each customer command of the table, sent through its binding and the customer handler on an in-memory store.

const customerId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('RegisterCustomer', () => {
  const request = { name: 'Ann', email: 'ann@example.com', currency: 'EUR', creditLimit: 100 };

  it('stores the customer and answers 201 with its Location and a consistency token', async () => {
    const store = new InMemoryTransactions();
    const answer = await sendCustomerCommand(store, 'RegisterCustomer', { params: {}, body: request });
    expect(answer.status).toBe(201);
    expect(answer.location).toBe(`/api/customers/${answer.body.id}`);
    expect(decodeConsistencyToken(answer.body.consistencyToken)).toEqual({
      kind: 'customer',
      streamId: answer.body.id,
      version: 1,
    });
    expect(store.customerEvents.map((e) => e.type)).toEqual(['CustomerRegistered']);
  });

  it('refuses an email already taken, in any case', async () => {
    const store = new InMemoryTransactions();
    await sendCustomerCommand(store, 'RegisterCustomer', { params: {}, body: request });
    await expect(
      sendCustomerCommand(store, 'RegisterCustomer', {
        params: {},
        body: { ...request, email: 'ANN@example.com' },
      }),
    ).rejects.toMatchObject({ code: 'customer.email-taken' });
  });
});

describe('ChangeCreditLimit', () => {
  it('updates the row to the next version and records the change', async () => {
    const store = new InMemoryTransactions();
    store.customers.set(customerId, {
      customerId,
      name: 'A',
      email: 'a@x.io',
      currency: 'EUR',
      creditLimit: 5,
      version: 1,
    });
    const answer = await sendCustomerCommand(store, 'ChangeCreditLimit', {
      params: { id: customerId },
      body: { creditLimit: 9 },
    });
    expect(answer).toMatchObject({ status: 200, body: { id: customerId, version: 2 } });
    expect(store.customers.get(customerId)?.creditLimit).toBe(9);
    expect(store.customerEvents.map((e) => e.type)).toEqual(['CustomerCreditLimitChanged']);
  });

  it('answers an unknown customer with customer.not-found', async () => {
    await expect(
      sendCustomerCommand(new InMemoryTransactions(), 'ChangeCreditLimit', {
        params: { id: customerId },
        body: { creditLimit: 9 },
      }),
    ).rejects.toMatchObject({ code: 'customer.not-found' });
  });
});
