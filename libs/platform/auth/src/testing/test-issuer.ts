import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { Role } from '@tandem/contracts';
import type { AuthConfig } from '../auth-config';

export interface TestTokenOptions {
  subject?: string;
  roles?: readonly Role[] | string;
  email?: string;
  /** Seconds from now (negative: already expired). Default 300. */
  expiresIn?: number;
  /** Seconds from now before which the token is not valid. */
  notBefore?: number;
  issuer?: string;
  audience?: string;
  /** `typ` header; default `at+jwt`. */
  type?: string;
  /** Sign with a key the issuer does not publish. */
  unpublishedKey?: boolean;
  extraClaims?: JWTPayload;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * An issuer for tests of the services' token checks: RS256 keys of its own, its JWKS served over HTTP (so the
 * services fetch it the way they fetch a real provider's), tokens made to order, good and bad. The development
 * stack and the end-to-end tests use a real OpenID provider instead (tools/dev-oidc).
 */
export class TestIssuer {
  private keys: SigningKey[] = [];
  private stray: SigningKey | undefined;
  private server: Server | undefined;
  /** How many times the JWKS was fetched. */
  fetches = 0;

  static readonly AUDIENCE = 'tandem-api';

  private constructor(readonly url: string) {}

  private static sharedIssuer: Promise<TestIssuer> | undefined;

  /** One issuer for the whole test file (its server does not keep the process alive). */
  static shared(): Promise<TestIssuer> {
    return (TestIssuer.sharedIssuer ??= TestIssuer.start());
  }

  static async start(): Promise<TestIssuer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    const issuer = new TestIssuer(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    issuer.server = server;
    server.on('request', (request, response) => {
      if (request.url === '/jwks') {
        issuer.fetches += 1;
        response.setHeader('content-type', 'application/jwk-set+json');
        response.end(JSON.stringify({ keys: issuer.keys.map((key) => key.publicJwk) }));
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    await issuer.rotate();
    return issuer;
  }

  get jwksUrl(): string {
    return `${this.url}/jwks`;
  }

  /** The services' AUTH_* environment for this issuer. */
  get env(): Record<keyof Pick<AuthConfig, 'AUTH_ISSUER' | 'AUTH_AUDIENCE' | 'AUTH_JWKS_URL'>, string> {
    return { AUTH_ISSUER: this.url, AUTH_AUDIENCE: TestIssuer.AUDIENCE, AUTH_JWKS_URL: this.jwksUrl };
  }

  /** Publishes a new signing key first; the previous ones stay published (as a provider does while rotating). */
  async rotate(): Promise<void> {
    this.keys.unshift(await newKey());
  }

  /** Stops publishing every key but the newest. */
  retireOldKeys(): void {
    this.keys = this.keys.slice(0, 1);
  }

  get currentKid(): string {
    return this.current().kid;
  }

  /** The public key of the current signing key, as a JWK (for the HS256-with-the-public-key attack). */
  get publicJwk(): JWK {
    return this.current().publicJwk;
  }

  async token(options: TestTokenOptions = {}): Promise<string> {
    const key = options.unpublishedKey ? (this.stray ??= await newKey()) : this.current();
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({
      roles: options.roles ?? ['customer'],
      ...(options.email === undefined ? {} : { email: options.email, email_verified: true }),
      ...options.extraClaims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: options.type ?? 'at+jwt' })
      .setSubject(options.subject ?? 'test-user')
      .setIssuer(options.issuer ?? this.url)
      .setAudience(options.audience ?? TestIssuer.AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresIn ?? 300))
      .setJti(crypto.randomUUID());
    if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
    return jwt.sign(key.privateKey);
  }

  /** An `Authorization` header value: `Bearer <token>`. */
  async authorization(options: TestTokenOptions = {}): Promise<string> {
    return `Bearer ${await this.token(options)}`;
  }

  /** `{ authorization }` for a staff member: the tests' default caller, which may reach every record. */
  async staffHeaders(): Promise<{ authorization: string }> {
    return { authorization: await this.authorization({ subject: 'staff-test', roles: ['staff'] }) };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private current(): SigningKey {
    const key = this.keys[0];
    if (!key) throw new Error('the test issuer has no key');
    return key;
  }
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = crypto.randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk };
}

/** AUTH_* values that parse, for configuration tests that start nothing. */
export const PLACEHOLDER_AUTH_ENV = {
  AUTH_ISSUER: 'https://issuer.test',
  AUTH_AUDIENCE: 'tandem-api',
  AUTH_JWKS_URL: 'https://issuer.test/jwks',
} as const;
