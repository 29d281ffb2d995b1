import { emailUniquenessKey, isValidEmail } from './email';

describe('email', () => {
  it('compares addresses case-insensitively through their uniqueness key', () => {
    expect(emailUniquenessKey('Ann.Lee@Example.COM')).toBe(emailUniquenessKey('ann.lee@example.com'));
  });

  it('accepts plus addressing and subdomains', () => {
    expect(isValidEmail('ann+orders@mail.example.co.uk')).toBe(true);
  });

  it('refuses non-ASCII addresses, so lower-casing matches Postgres lower()', () => {
    expect(isValidEmail('änn@example.com')).toBe(false);
  });
});
