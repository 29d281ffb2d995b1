import { InMemoryTransactions } from '../test/in-memory-transactions';
import { principal, sendCustomerCommand, TEST_CONSISTENCY_TOKENS } from '../test/send-command';

// Each customer command of the table, sent through its binding and the customer handler on an in-memory store.

const customerId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('RegisterCustomer', () => {
  const request = { name: 'Ann', email: 'ann@example.com', currency: 'EUR', creditLimit: 100 };

  it('stores the customer and answers 201 with its Location and a consistency token', async () => {
    const store = new InMemoryTransactions();
    const answer = await sendCustomerCommand(store, 'RegisterCustomer', { params: {}, body: request });
    expect(answer.status).toBe(201);
    expect(answer.location).toBe(`/api/customers/${answer.body.id}`);
    expect(TEST_CONSISTENCY_TOKENS.read(answer.body.consistencyToken, '')).toEqual({
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

describe('RegisterCustomer by a customer for itself', () => {
  const ann = principal('ann-sub', ['customer'], 'Ann@Example.com');
  const body = { name: 'Ann', email: 'ann@example.com', currency: 'EUR', creditLimit: 100 };

  it('binds the record to the account, once', async () => {
    const store = new InMemoryTransactions();
    const answer = await sendCustomerCommand(store, 'RegisterCustomer', { params: {}, body, principal: ann });
    expect(store.customers.get(answer.body.id)?.ownerSubject).toBe('ann-sub');
    expect(TEST_CONSISTENCY_TOKENS.read(answer.body.consistencyToken, 'ann-sub')).toMatchObject({
      version: 1,
    });
    await expect(
      sendCustomerCommand(store, 'RegisterCustomer', {
        params: {},
        body: { ...body, name: 'Ann again' },
        principal: ann,
      }),
    ).rejects.toMatchObject({
      problem: { status: 409, code: 'customer.already-registered', customerId: answer.body.id },
    });
  });

  it("refuses an email other than the account's verified one, so no address can be probed", async () => {
    const store = new InMemoryTransactions();
    await sendCustomerCommand(store, 'RegisterCustomer', {
      params: {},
      body: { ...body, email: 'bob@example.com' },
    });
    await expect(
      sendCustomerCommand(store, 'RegisterCustomer', {
        params: {},
        body: { ...body, email: 'bob@example.com' },
        principal: ann,
      }),
    ).rejects.toMatchObject({ problem: { status: 403, code: 'customer.email-not-verified' } });
  });

  it("answers another's record as missing, and lets staff change it", async () => {
    const store = new InMemoryTransactions();
    const { body: created } = await sendCustomerCommand(store, 'RegisterCustomer', {
      params: {},
      body,
      principal: ann,
    });
    const bob = principal('bob-sub', ['customer'], 'bob@example.com');
    await expect(
      sendCustomerCommand(store, 'ChangeCreditLimit', {
        params: { id: created.id },
        body: { creditLimit: 5 },
        principal: bob,
      }),
    ).rejects.toMatchObject({ code: 'customer.not-found' });
    const staff = principal('staff-sub', ['staff']);
    await expect(
      sendCustomerCommand(store, 'ChangeCreditLimit', {
        params: { id: created.id },
        body: { creditLimit: 5 },
        principal: staff,
      }),
    ).resolves.toMatchObject({ status: 200 });
    expect(store.customers.get(created.id)?.ownerSubject).toBe('ann-sub');
  });
});
