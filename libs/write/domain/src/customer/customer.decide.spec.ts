import { deciderSpecification } from '../testing/decider-specification';
import { CUSTOMER_ID, creditLimitChanged, customerRegistered } from '../testing/fixtures';
import { decideCustomer } from './customer.decide';
import { evolveCustomer } from './customer.evolve';
import { initialCustomerState } from './customer.state';

// The per-command specs prove the rules; this proves that each command type reaches its own decide function.
const spec = deciderSpecification({
  decide: decideCustomer,
  evolve: evolveCustomer,
  initialState: initialCustomerState,
});

describe('decideCustomer', () => {
  it('routes RegisterCustomer', () => {
    spec
      .given([])
      .when({
        type: 'RegisterCustomer',
        customerId: CUSTOMER_ID,
        name: 'Ann Lee',
        email: 'Ann.Lee@Example.com',
        currency: 'EUR',
        creditLimit: 50_000,
        emailAlreadyTaken: false,
      })
      .then([customerRegistered(50_000)]);
  });

  it('routes ChangeCreditLimit', () => {
    spec
      .given([customerRegistered(50_000)])
      .when({ type: 'ChangeCreditLimit', customerId: CUSTOMER_ID, creditLimit: 60_000 })
      .then([creditLimitChanged(60_000, 50_000)]);
  });
});
