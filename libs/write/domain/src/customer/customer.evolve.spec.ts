import type { CustomerEvent } from '@tandem/contracts';
import { CUSTOMER_ID, creditLimitChanged, customerRegistered } from '../testing/fixtures';
import { evolveCustomer } from './customer.evolve';
import { initialCustomerState, type CustomerState } from './customer.state';

const replay = (events: CustomerEvent[]): CustomerState | null =>
  events.reduce(evolveCustomer, initialCustomerState);

describe('evolveCustomer', () => {
  it('starts from no customer', () => {
    expect(initialCustomerState).toBeNull();
  });

  it('registers a customer at version 1, email as given', () => {
    expect(replay([customerRegistered(50_000, 'Ann.Lee@Example.com')])).toStrictEqual({
      customerId: CUSTOMER_ID,
      name: 'Ann Lee',
      email: 'Ann.Lee@Example.com',
      currency: 'EUR',
      creditLimit: 50_000,
      version: 1,
    });
  });

  it('applies credit limit changes, one version each', () => {
    const state = replay([
      customerRegistered(50_000),
      creditLimitChanged(70_000, 50_000),
      creditLimitChanged(10_000, 70_000),
    ]);
    expect(state).toMatchObject({ creditLimit: 10_000, currency: 'EUR', version: 3 });
  });

  it('never changes the state it is given', () => {
    const before = replay([customerRegistered(50_000)]);
    const snapshot = structuredClone(before);
    evolveCustomer(before, creditLimitChanged(1, 50_000));
    expect(before).toStrictEqual(snapshot);
  });

  it('rejects a change to a customer that was never registered', () => {
    expect(() => replay([creditLimitChanged(1, 0)])).toThrow(/does not exist/);
  });

  it('rejects a second registration', () => {
    expect(() => replay([customerRegistered(), customerRegistered()])).toThrow(/already exists/);
  });
});
