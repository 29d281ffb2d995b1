import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { isRole, type Role } from '@tandem/contracts';
import type { ProblemException } from '@tandem/platform/http';
import type { AuthConfig } from './auth-config';
import { keysUnavailable, unauthenticated } from './auth-problems';
import type { Principal } from './principal';

/** RFC 9068 §2.1: a JWT access token says so in its `typ` header. */
const ACCESS_TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt']);
/** Longer than any real token; a bigger one is refused before it is parsed. */
const MAX_TOKEN_LENGTH = 8192;
/** Verified tokens remembered (a client sends one token for many requests until it expires). */
const CACHED_TOKENS = 10_000;

export interface VerifierOptions {
  issuer: string;
  audience: string;
  /** The issuer's JWKS URL, or a key set (tests). */
  keys: string | JSONWebKeySet;
  rolesClaim: string;
  algorithms: readonly string[];
  clockToleranceSeconds: number;
  /**
   * How soon after one fetch the JWKS may be fetched again for an unknown `kid` (default 1 s): short, so that a
   * token signed with a freshly rotated key is accepted at once; not zero, so that tokens with made-up `kid`s
   * cannot make every request fetch.
   */
  refetchCooldownMs?: number;
}

export function verifierOptionsOf(config: AuthConfig): VerifierOptions {
  return {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    keys: config.AUTH_JWKS_URL,
    rolesClaim: config.AUTH_ROLES_CLAIM,
    algorithms: config.AUTH_ALGORITHMS,
    clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS,
  };
}

/**
 * Verifies OAuth 2.0 bearer access tokens (JWT, RFC 9068) with `jose`: the signature against the issuer's JWKS
 * (cached; fetched again when a token names an unknown `kid`, so a key rotation needs no restart), `iss`, `aud`,
 * `exp` and `nbf` within a small clock tolerance, an asymmetric algorithm of the allow-list, and the `typ`.
 * Every refusal is a 401 problem saying what was wrong, with the RFC 6750 challenge.
 */
export class AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  /**
   * Tokens that verified, with their principal, until they expire: a signature check costs a few hundred
   * microseconds of CPU, and every hop of every request would pay it again for the same token. Only successes are
   * kept (a refused token is checked again, and costs the same each time), the oldest go first, and an entry is
   * used only while the token is still within its `exp`.
   */
  private readonly verified = new Map<string, Principal>();

  constructor(private readonly options: VerifierOptions) {
    this.keys =
      typeof options.keys === 'string'
        ? createRemoteJWKSet(new URL(options.keys), {
            cooldownDuration: options.refetchCooldownMs ?? 1000,
            cacheMaxAge: 10 * 60_000,
            timeoutDuration: 5000,
          })
        : createLocalJWKSet(options.keys);
  }

  /** The principal of an `Authorization` header's bearer token; throws the problem to answer otherwise. */
  async verifyAuthorization(header: string | undefined): Promise<Principal> {
    if (header === undefined || header.trim() === '') {
      throw unauthenticated('auth.token-missing', 'This route needs an Authorization: Bearer access token.');
    }
    const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
    if (!match?.[1]) {
      throw unauthenticated(
        'auth.token-invalid',
        'The Authorization header must be "Bearer <access token>" (one token, no other scheme).',
      );
    }
    return this.verify(match[1]);
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (known.expiresAt + this.options.clockToleranceSeconds > Date.now() / 1000) return known;
      this.verified.delete(token);
    }
    const principal = await this.verifyUncached(token);
    if (this.verified.size >= CACHED_TOKENS) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, principal);
    return principal;
  }

  private async verifyUncached(token: string): Promise<Principal> {
    if (token.length > MAX_TOKEN_LENGTH) {
      throw unauthenticated(
        'auth.token-invalid',
        `The access token is longer than ${MAX_TOKEN_LENGTH} characters.`,
      );
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: [...this.options.algorithms],
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
        crit: {},
      }).then((result) => {
        if (!ACCESS_TOKEN_TYPES.has(String(result.protectedHeader.typ).toLowerCase())) {
          throw new errors.JWTInvalid('typ');
        }
        return result;
      }));
    } catch (error) {
      throw refusal(error);
    }
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.length === 0 || subject.length > 255) {
      throw unauthenticated('auth.token-invalid', 'The access token has no usable subject (sub).');
    }
    const email = payload.email_verified === false ? undefined : payload.email;
    return {
      subject,
      issuer: this.options.issuer,
      roles: rolesIn(claimAt(payload, this.options.rolesClaim)),
      ...(typeof email === 'string' && email.length > 0 ? { email } : {}),
      expiresAt: Number(payload.exp),
    };
  }
}

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const name of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

/** Roles from an array of strings or a space-separated string (`scope`); names Tandem does not know are ignored. */
function rolesIn(claim: unknown): Role[] {
  const names = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(' ') : [];
  return [...new Set(names.filter(isRole))];
}

/** What a failed verification answers: the reason in words, never the token itself. */
function refusal(error: unknown): ProblemException {
  const invalid = (detail: string) => unauthenticated('auth.token-invalid', detail);
  if (error instanceof errors.JWTExpired) return invalid('The access token has expired.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return invalid('The access token is not valid yet (nbf).');
    if (error.claim === 'iss') return invalid('The access token was issued by another issuer (iss).');
    if (error.claim === 'aud') return invalid('The access token is not meant for this API (aud).');
    return invalid(`The access token's ${error.claim} claim is missing or invalid.`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return invalid('The access token is signed with an algorithm this API does not accept.');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return invalid("The access token's signing key (kid) is not one of the issuer's keys.");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return invalid("The access token's signature does not verify.");
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return keysUnavailable("The issuer's signing keys could not be fetched; try again shortly.");
  }
  if (error instanceof errors.JWTInvalid && error.message === 'typ') {
    return invalid('The token is not an access token (its typ header is not at+jwt).');
  }
  if (error instanceof errors.JOSEError) return invalid('The access token is malformed.');
  // A network failure fetching the JWKS (fetch's TypeError, by name: it may come from another realm).
  const name: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'name') : undefined;
  if (name === 'TypeError' || name === 'AbortError' || name === 'TimeoutError') {
    return keysUnavailable("The issuer's signing keys could not be fetched; try again shortly.");
  }
  return invalid('The access token is malformed.');
}
