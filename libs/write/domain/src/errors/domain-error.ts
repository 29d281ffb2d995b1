import type { ProblemExtensions } from '@tandem/contracts';
import { DOMAIN_ERROR_CODES, type DomainErrorCode, type DomainErrorKind } from './domain-error-codes';

/**
 * A broken business rule. `code` is stable and machine-readable, `message` is for people, `details` carries the
 * values a client needs to react (they become extension members of the problem response, so their type forbids
 * the problem's own member names: an order's state is `orderStatus`, never `status`).
 */
export class DomainError extends Error {
  readonly kind: DomainErrorKind;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: ProblemExtensions,
  ) {
    super(message);
    this.name = new.target.name;
    this.kind = DOMAIN_ERROR_CODES[code].kind;
  }
}

/** A concrete rule error class: its static `code` lets tests and handlers name the rule without an instance. */
export interface DomainErrorClass {
  readonly code: DomainErrorCode;
  readonly prototype: DomainError;
}
