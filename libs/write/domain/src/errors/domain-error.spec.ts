import { RESERVED_PROBLEM_MEMBERS } from '@tandem/contracts';
import { CUSTOMER_ID, ORDER_ID } from '../testing/fixtures';
import * as customerErrors from './customer.errors';
import { DomainError } from './domain-error';
import { DOMAIN_ERROR_CODES, type DomainErrorCode, type DomainErrorKind } from './domain-error-codes';
import * as orderErrors from './order.errors';

// Pins every rule class to its code and kind: clients switch on these codes, so changing one must fail a test.
const EXPECTED: Array<[DomainError, DomainErrorCode, DomainErrorKind]> = [
  [new orderErrors.OrderNotFound(ORDER_ID), 'order.not-found', 'not-found'],
  [new orderErrors.OrderAlreadyExists(ORDER_ID), 'order.already-exists', 'conflict'],
  [new orderErrors.OrderNotDraft(ORDER_ID, 'placed'), 'order.not-draft', 'conflict'],
  [new orderErrors.OrderHasNoLines(ORDER_ID), 'order.no-lines', 'conflict'],
  [new orderErrors.TooManyOrderLines(ORDER_ID, 100), 'order.too-many-lines', 'conflict'],
  [new orderErrors.DuplicateSku(ORDER_ID, 'A'), 'order.duplicate-sku', 'conflict'],
  [new orderErrors.OrderLineNotFound(ORDER_ID, 'A'), 'order.line-not-found', 'conflict'],
  [new orderErrors.CreditLimitExceeded(ORDER_ID, 2, 1), 'order.credit-limit-exceeded', 'conflict'],
  [new orderErrors.OrderNotPlaced(ORDER_ID, 'draft'), 'order.not-placed', 'conflict'],
  [new orderErrors.OrderAlreadyShipped(ORDER_ID), 'order.already-shipped', 'conflict'],
  [new orderErrors.OrderAlreadyCancelled(ORDER_ID), 'order.already-cancelled', 'conflict'],
  [new orderErrors.AmountTooLarge(ORDER_ID, 'JPY', 10 ** 12), 'order.amount-too-large', 'invalid'],
  [new orderErrors.OrderTotalTooLarge(ORDER_ID, 2, 'JPY', 1), 'order.total-too-large', 'conflict'],
  [new orderErrors.InvalidQuantity(0), 'order.invalid-quantity', 'invalid'],
  [new orderErrors.InvalidUnitPrice(-1, 10 ** 15), 'order.invalid-unit-price', 'invalid'],
  [new orderErrors.InvalidSku('', 64), 'order.invalid-sku', 'invalid'],
  [new orderErrors.CancelReasonRequired(ORDER_ID), 'order.cancel-reason-required', 'invalid'],
  [new orderErrors.CancelReasonTooLong(ORDER_ID, 500), 'order.cancel-reason-too-long', 'invalid'],
  [new customerErrors.CustomerNotFound(CUSTOMER_ID), 'customer.not-found', 'not-found'],
  [new customerErrors.CustomerAlreadyExists(CUSTOMER_ID), 'customer.already-exists', 'conflict'],
  [new customerErrors.EmailAlreadyRegistered('a@b.io'), 'customer.email-taken', 'conflict'],
  [new customerErrors.InvalidEmail('nope'), 'customer.invalid-email', 'invalid'],
  [new customerErrors.InvalidCustomerName(200), 'customer.invalid-name', 'invalid'],
  [new customerErrors.UnknownCurrency('XYZ'), 'customer.unknown-currency', 'invalid'],
  [new customerErrors.InvalidCreditLimit(-1, 10 ** 15), 'customer.invalid-credit-limit', 'invalid'],
];

describe('domain errors', () => {
  it.each(EXPECTED.map(([error, code, kind]) => [error.name, code, kind, error] as const))(
    '%s has code %s and kind %s',
    (name, code, kind, error) => {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.kind).toBe(kind);
      expect((error.constructor as unknown as { code: string }).code).toBe(code);
      expect(error.name).toBe(error.constructor.name);
      expect(error.message.length).toBeGreaterThan(0);
      expect(name).not.toBe('DomainError');
    },
  );

  it('has one class for every code in the catalogue, and no class outside it', () => {
    const classes = [...Object.values(orderErrors), ...Object.values(customerErrors)];
    expect(classes).toHaveLength(EXPECTED.length);
    const classCodes = EXPECTED.map(([, code]) => code).sort();
    expect(new Set(classCodes).size).toBe(classCodes.length);
    expect(classCodes).toStrictEqual(Object.keys(DOMAIN_ERROR_CODES).sort());
  });

  it('gives every code a title for the API docs', () => {
    for (const { title } of Object.values(DOMAIN_ERROR_CODES)) expect(title.length).toBeGreaterThan(0);
  });

  it('never names a detail like a problem member, so no detail can replace the HTTP status or the code', () => {
    for (const [error] of EXPECTED) {
      for (const member of RESERVED_PROBLEM_MEMBERS) expect(error.details ?? {}).not.toHaveProperty(member);
    }
    expect(new orderErrors.OrderNotDraft(ORDER_ID, 'placed').details).toStrictEqual({
      orderId: ORDER_ID,
      orderStatus: 'placed',
    });
    expect(new orderErrors.OrderNotPlaced(ORDER_ID, 'draft').details).toStrictEqual({
      orderId: ORDER_ID,
      orderStatus: 'draft',
    });
  });

  it('carries the values a client needs in details', () => {
    expect(new orderErrors.CreditLimitExceeded(ORDER_ID, 3000, 2999).details).toStrictEqual({
      orderId: ORDER_ID,
      total: 3000,
      creditLimit: 2999,
    });
  });
});
