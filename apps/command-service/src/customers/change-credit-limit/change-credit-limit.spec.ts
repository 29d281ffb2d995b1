import { InMemoryTransactions, options } from '../../test/in-memory-transactions';
import { ChangeCreditLimitCommand } from './change-credit-limit.command';
import { ChangeCreditLimitHandler } from './change-credit-limit.handler';

const customerId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

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
    const answer = await new ChangeCreditLimitHandler(store).execute(
      new ChangeCreditLimitCommand(customerId, { creditLimit: 9 }, options()),
    );
    expect(answer).toMatchObject({ status: 200, body: { id: customerId, version: 2 } });
    expect(store.customers.get(customerId)?.creditLimit).toBe(9);
    expect(store.customerEvents.map((e) => e.type)).toEqual(['CustomerCreditLimitChanged']);
  });

  it('answers an unknown customer with customer.not-found', async () => {
    await expect(
      new ChangeCreditLimitHandler(new InMemoryTransactions()).execute(
        new ChangeCreditLimitCommand(customerId, { creditLimit: 9 }, options()),
      ),
    ).rejects.toMatchObject({ code: 'customer.not-found' });
  });
});
