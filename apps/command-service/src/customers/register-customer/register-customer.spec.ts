import { decodeConsistencyToken } from '@tandem/contracts';
import { InMemoryTransactions, options } from '../../test/in-memory-transactions';
import { RegisterCustomerCommand } from './register-customer.command';
import { RegisterCustomerHandler } from './register-customer.handler';

const request = { name: 'Ann', email: 'ann@example.com', currency: 'EUR', creditLimit: 100 };

describe('RegisterCustomer', () => {
  it('stores the customer and answers 201 with its Location and a consistency token', async () => {
    const store = new InMemoryTransactions();
    const answer = await new RegisterCustomerHandler(store).execute(
      new RegisterCustomerCommand(request, options()),
    );
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
    const handler = new RegisterCustomerHandler(store);
    await handler.execute(new RegisterCustomerCommand(request, options()));
    await expect(
      handler.execute(new RegisterCustomerCommand({ ...request, email: 'ANN@example.com' }, options())),
    ).rejects.toMatchObject({ code: 'customer.email-taken' });
  });
});
