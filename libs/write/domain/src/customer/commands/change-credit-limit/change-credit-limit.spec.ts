import { deciderSpecification } from '../../../testing/decider-specification';
import { CUSTOMER_ID, creditLimitChanged, customerRegistered } from '../../../testing/fixtures';
import { evolveCustomer } from '../../customer.evolve';
import { initialCustomerState } from '../../customer.state';
import type { ChangeCreditLimit } from './change-credit-limit.command';
import { decideChangeCreditLimit } from './change-credit-limit.decide';

const spec = deciderSpecification({
  decide: decideChangeCreditLimit,
  evolve: evolveCustomer,
  initialState: initialCustomerState,
});

const changeLimit = (creditLimit: number): ChangeCreditLimit => ({
  type: 'ChangeCreditLimit',
  customerId: CUSTOMER_ID,
  creditLimit,
});

describe('ChangeCreditLimit', () => {
  it('changes the limit and records the previous one', () => {
    spec
      .given([customerRegistered(50_000)])
      .when(changeLimit(75_000))
      .then([
        {
          type: 'CustomerCreditLimitChanged',
          data: { customerId: CUSTOMER_ID, creditLimit: 75_000, previousCreditLimit: 50_000 },
        },
      ]);
  });

  it('takes the previous limit from the latest change', () => {
    spec
      .given([customerRegistered(50_000), creditLimitChanged(20_000, 50_000)])
      .when(changeLimit(0))
      .then([creditLimitChanged(0, 20_000)]);
  });

  it('records nothing when the limit is already the one asked for', () => {
    spec
      .given([customerRegistered(50_000)])
      .when(changeLimit(50_000))
      .then([]);
  });

  it('refuses a customer that does not exist: customer.not-found', () => {
    spec.given([]).when(changeLimit(1000)).thenThrows('customer.not-found', { customerId: CUSTOMER_ID });
  });

  it.each([-1, 99.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])(
    'refuses the credit limit %p: customer.invalid-credit-limit',
    (creditLimit) => {
      spec
        .given([customerRegistered()])
        .when(changeLimit(creditLimit))
        .thenThrows('customer.invalid-credit-limit', { creditLimit, max: 10 ** 15 });
    },
  );

  it('accepts the maximum of the customer currency, 10^14 cents for EUR', () => {
    spec
      .given([customerRegistered(50_000)])
      .when(changeLimit(10 ** 14))
      .then([creditLimitChanged(10 ** 14, 50_000)]);
  });

  it('refuses one cent above the EUR maximum, naming the bound: customer.invalid-credit-limit', () => {
    spec
      .given([customerRegistered(50_000)])
      .when(changeLimit(10 ** 14 + 1))
      .thenThrows('customer.invalid-credit-limit', {
        creditLimit: 10 ** 14 + 1,
        currency: 'EUR',
        max: 10 ** 14,
      });
  });

  it('refuses an amount no currency allows before looking the customer up: customer.invalid-credit-limit', () => {
    spec
      .given([])
      .when(changeLimit(10 ** 15 + 1))
      .thenThrows('customer.invalid-credit-limit', { creditLimit: 10 ** 15 + 1, max: 10 ** 15 });
  });
});
