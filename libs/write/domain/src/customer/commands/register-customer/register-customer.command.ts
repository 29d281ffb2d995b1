/**
 * Register a customer. The handler looks up whether the email is taken (case-insensitively, see
 * `emailUniquenessKey`) and passes the answer; its unique index on `lower(email)` still catches a race.
 */
export interface RegisterCustomer {
  readonly type: 'RegisterCustomer';
  readonly customerId: string;
  readonly name: string;
  readonly email: string;
  readonly currency: string;
  /** Minor units of `currency`. */
  readonly creditLimit: number;
  readonly emailAlreadyTaken: boolean;
  /** The account registering itself, whose record this becomes (absent when staff registers someone). */
  readonly ownerSubject?: string;
}
