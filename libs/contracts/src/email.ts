// The address check of the HTML living standard: one @, no spaces, a dotted domain, ASCII only. Stricter checks
// reject real addresses; the only real check is a mail that arrives.
const EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

/** RFC 5321 allows 320 characters at most. */
export const MAX_EMAIL_LENGTH = 320;

export function isValidEmail(email: string): boolean {
  return email.length <= MAX_EMAIL_LENGTH && EMAIL.test(email);
}
