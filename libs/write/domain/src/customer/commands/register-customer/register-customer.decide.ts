import { isKnownCurrency, type CustomerEvent } from '@tandem/contracts';
import {
  CustomerAlreadyExists,
  EmailAlreadyRegistered,
  InvalidCustomerName,
  InvalidEmail,
  UnknownCurrency,
} from '../../../errors/customer.errors';
import { assertValidCreditLimit } from '../../customer.rules';
import type { CustomerState } from '../../customer.state';
import { isValidEmail } from '../../email';
import type { RegisterCustomer } from './register-customer.command';

/** The CustomerRegistered contract's bound. */
export const MAX_CUSTOMER_NAME_LENGTH = 200;

export function decideRegisterCustomer(
  command: RegisterCustomer,
  state: CustomerState | null,
): CustomerEvent[] {
  const { customerId, name, email, currency, creditLimit } = command;
  if (name.trim().length === 0 || name.length > MAX_CUSTOMER_NAME_LENGTH) {
    throw new InvalidCustomerName(MAX_CUSTOMER_NAME_LENGTH);
  }
  if (!isValidEmail(email)) throw new InvalidEmail(email);
  if (!isKnownCurrency(currency)) throw new UnknownCurrency(currency);
  assertValidCreditLimit(creditLimit, currency);

  if (state !== null) throw new CustomerAlreadyExists(customerId);
  if (command.emailAlreadyTaken) throw new EmailAlreadyRegistered(email);

  // The email is recorded as given, not lower-cased: it is the customer's address as they wrote it, and
  // uniqueness is decided on `emailUniquenessKey` instead.
  return [{ type: 'CustomerRegistered', data: { customerId, name, email, currency, creditLimit } }];
}
