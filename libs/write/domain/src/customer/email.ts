export { isValidEmail, MAX_EMAIL_LENGTH } from '@tandem/contracts';

/**
 * The key under which emails are unique: lower case. Addresses are stored as given (the customer's spelling),
 * but `Ann@x.io` and `ann@x.io` reach the same mailbox in practice, so both count as one. Valid addresses are
 * ASCII, so this equals Postgres `lower(email)`, which the unique index uses.
 */
export function emailUniquenessKey(email: string): string {
  return email.toLowerCase();
}
