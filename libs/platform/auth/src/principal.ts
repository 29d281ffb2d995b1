import type { Role } from '@tandem/contracts';

/** Who is calling, as a verified access token says. */
export interface Principal {
  /** The token's `sub`: stable per user at one issuer, never reassigned (OpenID Connect Core §2). */
  readonly subject: string;
  readonly issuer: string;
  readonly roles: readonly Role[];
  /** The token's `email` claim, when the issuer says it is verified (`email_verified` not false). */
  readonly email?: string;
  /** The token's `exp`, in seconds since the epoch. */
  readonly expiresAt: number;
}

const PRINCIPAL = Symbol('tandem.principal');

interface WithPrincipal {
  [PRINCIPAL]?: Principal;
}

/** Attaches the verified principal to the request it authenticated. */
export function setPrincipal(request: object, principal: Principal): void {
  (request as WithPrincipal)[PRINCIPAL] = principal;
}

/** The request's verified principal, or `undefined` on a public route. */
export function principalOf(request: object): Principal | undefined {
  return (request as WithPrincipal)[PRINCIPAL];
}

export function hasRole(principal: Principal | undefined, role: Role): boolean {
  return principal?.roles.includes(role) ?? false;
}

/**
 * Whether the principal reaches everyone's data (`staff`), rather than only what it owns. A token with both
 * `customer` and `staff` is staff.
 */
export function seesAll(principal: Principal): boolean {
  return principal.roles.includes('staff');
}
