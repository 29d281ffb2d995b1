import { DomainError } from './domain-error';

// One class per rule of the Customer aggregate, named by the rule it guards.

export class CustomerNotFound extends DomainError {
  static readonly code = 'customer.not-found';
  constructor(customerId: string) {
    super(CustomerNotFound.code, `Customer ${customerId} does not exist.`, { customerId });
  }
}

export class CustomerAlreadyExists extends DomainError {
  static readonly code = 'customer.already-exists';
  constructor(customerId: string) {
    super(CustomerAlreadyExists.code, `Customer ${customerId} already exists.`, { customerId });
  }
}

export class EmailAlreadyRegistered extends DomainError {
  static readonly code = 'customer.email-taken';
  constructor(email: string) {
    super(EmailAlreadyRegistered.code, `A customer with email ${email} is already registered.`, { email });
  }
}

export class InvalidEmail extends DomainError {
  static readonly code = 'customer.invalid-email';
  constructor(email: string) {
    super(InvalidEmail.code, `"${email}" is not a valid email address.`, { email });
  }
}

export class InvalidCustomerName extends DomainError {
  static readonly code = 'customer.invalid-name';
  constructor(maxLength: number) {
    super(InvalidCustomerName.code, `A customer name must be 1 to ${maxLength} characters, not blank.`, {
      maxLength,
    });
  }
}

export class UnknownCurrency extends DomainError {
  static readonly code = 'customer.unknown-currency';
  constructor(currency: string) {
    super(UnknownCurrency.code, `"${currency}" is not a known ISO 4217 currency code.`, { currency });
  }
}

export class InvalidCreditLimit extends DomainError {
  static readonly code = 'customer.invalid-credit-limit';
  /** `currency` when the bound is that currency's; without it, the bound over every currency. */
  constructor(creditLimit: number, max: number, currency?: string) {
    super(
      InvalidCreditLimit.code,
      `A credit limit must be a whole amount of minor units from 0 to ${max}${currency ? ` for ${currency}` : ''}, got ${creditLimit}.`,
      currency ? { creditLimit, max, currency } : { creditLimit, max },
    );
  }
}
