// The address check of the HTML living standard, as the gateway's RegisterCustomerRequest uses: one @, no spaces,
// a dotted domain, ASCII only. Kept in step with that schema by hand until contracts export the pattern.
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

/** The CustomerRegistered contract's bound (RFC 5321 allows 320 characters at most). */
export const MAX_EMAIL_LENGTH = 320;

export function isValidEmail(email: string): boolean {
  return email.length <= MAX_EMAIL_LENGTH && EMAIL.test(email);
}

/**
 * The key under which emails are unique: lower case. Addresses are stored as given (the customer's spelling),
 * but `Ann@x.io` and `ann@x.io` reach the same mailbox in practice, so both count as one. Valid addresses are
 * ASCII, so this equals Postgres `lower(email)`, which the unique index uses.
 */
export function emailUniquenessKey(email: string): string {
  return email.toLowerCase();
}
