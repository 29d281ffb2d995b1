import { deciderSpecification } from '../../../testing/decider-specification';
import { CUSTOMER_ID, customerRegistered } from '../../../testing/fixtures';
import { evolveCustomer } from '../../customer.evolve';
import { initialCustomerState } from '../../customer.state';
import type { RegisterCustomer } from './register-customer.command';
import { decideRegisterCustomer } from './register-customer.decide';

const spec = deciderSpecification({
  decide: decideRegisterCustomer,
  evolve: evolveCustomer,
  initialState: initialCustomerState,
});

const register = (overrides: Partial<RegisterCustomer> = {}): RegisterCustomer => ({
  type: 'RegisterCustomer',
  customerId: CUSTOMER_ID,
  name: 'Ann Lee',
  email: 'ann.lee@example.com',
  currency: 'EUR',
  creditLimit: 50_000,
  emailAlreadyTaken: false,
  ...overrides,
});

describe('RegisterCustomer', () => {
  it('registers a customer with its currency and credit limit', () => {
    spec
      .given([])
      .when(register())
      .then([
        {
          type: 'CustomerRegistered',
          data: {
            customerId: CUSTOMER_ID,
            name: 'Ann Lee',
            email: 'ann.lee@example.com',
            currency: 'EUR',
            creditLimit: 50_000,
          },
        },
      ]);
  });

  it('records the email as given, without changing its case', () => {
    spec
      .given([])
      .when(register({ email: 'Ann.Lee@Example.COM' }))
      .then([
        {
          type: 'CustomerRegistered',
          data: {
            customerId: CUSTOMER_ID,
            name: 'Ann Lee',
            email: 'Ann.Lee@Example.COM',
            currency: 'EUR',
            creditLimit: 50_000,
          },
        },
      ]);
  });

  it('accepts a zero credit limit', () => {
    spec
      .given([])
      .when(register({ creditLimit: 0, currency: 'JPY' }))
      .then([
        {
          type: 'CustomerRegistered',
          data: {
            customerId: CUSTOMER_ID,
            name: 'Ann Lee',
            email: 'ann.lee@example.com',
            currency: 'JPY',
            creditLimit: 0,
          },
        },
      ]);
  });

  it('refuses an email that is already registered: customer.email-taken', () => {
    spec
      .given([])
      .when(register({ emailAlreadyTaken: true }))
      .thenThrows('customer.email-taken', { email: 'ann.lee@example.com' });
  });

  it.each([
    'ann',
    'ann@',
    '@example.com',
    'ann@example',
    'ann lee@example.com',
    'ann@exa mple.com',
    'ann@@example.com',
    ' ann@example.com',
    'ann@example.com ',
    `${'a'.repeat(309)}@example.com`,
  ])('refuses the email %p: customer.invalid-email', (email) => {
    spec.given([]).when(register({ email })).thenThrows('customer.invalid-email', { email });
  });

  it('accepts an email of exactly 320 characters', () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(63)}`;
    expect(email).toHaveLength(320);
    spec
      .given([])
      .when(register({ email }))
      .then([
        {
          type: 'CustomerRegistered',
          data: { customerId: CUSTOMER_ID, name: 'Ann Lee', email, currency: 'EUR', creditLimit: 50_000 },
        },
      ]);
  });

  it.each(['XYZ', 'eur', 'EURO', '', 'XTS'])(
    'refuses the currency %p: customer.unknown-currency',
    (currency) => {
      spec.given([]).when(register({ currency })).thenThrows('customer.unknown-currency', { currency });
    },
  );

  it.each([-1, 0.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])(
    'refuses the credit limit %p: customer.invalid-credit-limit',
    (creditLimit) => {
      spec
        .given([])
        .when(register({ creditLimit }))
        .thenThrows('customer.invalid-credit-limit', { creditLimit, currency: 'EUR', max: 10 ** 14 });
    },
  );

  it.each([
    ['JPY', 10 ** 12],
    ['EUR', 10 ** 14],
    ['KWD', 10 ** 15],
  ] as const)(
    'accepts a %s credit limit of exactly its maximum, %p minor units (10^12 major units)',
    (currency, max) => {
      spec
        .given([])
        .when(register({ currency, creditLimit: max }))
        .then([
          {
            type: 'CustomerRegistered',
            data: {
              customerId: CUSTOMER_ID,
              name: 'Ann Lee',
              email: 'ann.lee@example.com',
              currency,
              creditLimit: max,
            },
          },
        ]);
    },
  );

  it.each([
    ['JPY', 10 ** 12],
    ['EUR', 10 ** 14],
    ['KWD', 10 ** 15],
  ] as const)(
    'refuses a %s credit limit one above its maximum of %p: customer.invalid-credit-limit',
    (currency, max) => {
      spec
        .given([])
        .when(register({ currency, creditLimit: max + 1 }))
        .thenThrows('customer.invalid-credit-limit', { creditLimit: max + 1, currency, max });
    },
  );

  it('refuses a JPY credit limit of 2^53 − 1, which no later sum could carry: customer.invalid-credit-limit', () => {
    spec
      .given([])
      .when(register({ currency: 'JPY', creditLimit: Number.MAX_SAFE_INTEGER }))
      .thenThrows('customer.invalid-credit-limit', {
        creditLimit: Number.MAX_SAFE_INTEGER,
        currency: 'JPY',
        max: 10 ** 12,
      });
  });

  it.each(['', '   ', 'n'.repeat(201)])('refuses the name %p: customer.invalid-name', (name) => {
    spec.given([]).when(register({ name })).thenThrows('customer.invalid-name', { maxLength: 200 });
  });

  it('refuses a customer id that is already registered: customer.already-exists', () => {
    spec
      .given([customerRegistered()])
      .when(register({ email: 'someone.else@example.com' }))
      .thenThrows('customer.already-exists', { customerId: CUSTOMER_ID });
  });
});
