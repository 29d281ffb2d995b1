import { SignJWT, base64url } from 'jose';
import { ProblemException } from '@tandem/platform/http';
import { AccessTokenVerifier, type VerifierOptions } from './access-token-verifier';
import { TestIssuer } from './testing';

let issuer: TestIssuer;
let verifier: AccessTokenVerifier;

const optionsFor = (issuer: TestIssuer, overrides: Partial<VerifierOptions> = {}): VerifierOptions => ({
  issuer: issuer.url,
  audience: TestIssuer.AUDIENCE,
  keys: issuer.jwksUrl,
  rolesClaim: 'roles',
  algorithms: ['RS256', 'ES256'],
  clockToleranceSeconds: 30,
  refetchCooldownMs: 0,
  ...overrides,
});

beforeAll(async () => {
  issuer = await TestIssuer.start();
  verifier = new AccessTokenVerifier(optionsFor(issuer));
});
afterAll(() => issuer.stop());

/** The problem a header is refused with. */
async function refusal(
  header: string | undefined,
): Promise<{ status: number; code: string; detail: string; challenge: string }> {
  try {
    await verifier.verifyAuthorization(header);
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    return {
      status: error.problem.status,
      code: error.problem.code,
      detail: String(error.problem.detail),
      challenge: error.headers['WWW-Authenticate'] ?? '',
    };
  }
  throw new Error('the header was accepted');
}

const bearer = (token: string) => `Bearer ${token}`;

describe('AccessTokenVerifier', () => {
  it('accepts a good token and reads subject, roles and verified email', async () => {
    const principal = await verifier.verifyAuthorization(
      bearer(await issuer.token({ subject: 'u1', roles: 'customer staff pilot', email: 'a@example.com' })),
    );
    expect(principal).toMatchObject({ subject: 'u1', roles: ['customer', 'staff'], email: 'a@example.com' });
  });

  it('reads roles from a space-separated claim at a dotted path', async () => {
    const nested = new AccessTokenVerifier(optionsFor(issuer, { rolesClaim: 'realm_access.roles' }));
    const token = await issuer.token({ roles: [], extraClaims: { realm_access: { roles: 'admin staff' } } });
    expect((await nested.verify(token)).roles).toEqual(['admin', 'staff']);
  });

  it('without a token: 401 and a challenge with no error code', async () => {
    expect(await refusal(undefined)).toMatchObject({
      status: 401,
      code: 'auth.token-missing',
      challenge: 'Bearer realm="tandem"',
    });
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['no token', 'Bearer '],
    ['two tokens', 'Bearer a.b.c d.e.f'],
    ['not a JWT', 'Bearer not-a-jwt'],
  ])('a malformed header (%s): 401 invalid_token', async (_, header) => {
    const answer = await refusal(header);
    expect(answer).toMatchObject({ status: 401, code: 'auth.token-invalid' });
    expect(answer.challenge).toContain('error="invalid_token"');
  });

  it.each([
    ['expired', { expiresIn: -120 }, 'expired'],
    ['not yet valid', { notBefore: 600 }, 'not valid yet'],
    ['from another issuer', { issuer: 'https://evil.example' }, 'another issuer'],
    ['for another audience', { audience: 'another-api' }, 'not meant for this API'],
    ['signed with an unknown kid', { unpublishedKey: true }, 'kid'],
    ['an ID token rather than an access token', { type: 'JWT' }, 'not an access token'],
  ] as const)('a token %s: 401 saying so', async (_, options, words) => {
    const answer = await refusal(bearer(await issuer.token(options)));
    expect(answer).toMatchObject({ status: 401, code: 'auth.token-invalid' });
    expect(answer.detail).toContain(words);
  });

  it('accepts a token expired within the clock tolerance', async () => {
    await expect(verifier.verify(await issuer.token({ expiresIn: -10 }))).resolves.toMatchObject({});
  });

  it('refuses alg none', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }));
    const good = (await issuer.token()).split('.');
    expect(await refusal(bearer(`${header}.${good[1]}.`))).toMatchObject({
      status: 401,
      code: 'auth.token-invalid',
    });
  });

  it('refuses HS256 signed with the public key as the secret', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(issuer.publicJwk));
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: issuer.currentKid, typ: 'at+jwt' })
      .setSubject('attacker')
      .setIssuer(issuer.url)
      .setAudience(TestIssuer.AUDIENCE)
      .setExpirationTime(now + 300)
      .sign(secret);
    const answer = await refusal(bearer(forged));
    expect(answer).toMatchObject({ status: 401, code: 'auth.token-invalid' });
    expect(answer.detail).toContain('algorithm');
  });

  it('refuses a tampered payload', async () => {
    const [header, payload, signature] = (await issuer.token({ roles: ['customer'] })).split('.');
    const claims = JSON.parse(Buffer.from(String(payload), 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const tampered = base64url.encode(JSON.stringify({ ...claims, roles: ['admin'] }));
    const answer = await refusal(bearer(`${header}.${tampered}.${signature}`));
    expect(answer.detail).toContain('signature');
  });

  it('follows a key rotation: a token with a new kid makes it fetch the keys again', async () => {
    await verifier.verify(await issuer.token());
    const before = issuer.fetches;
    await issuer.rotate();
    await expect(verifier.verify(await issuer.token())).resolves.toMatchObject({ subject: 'test-user' });
    expect(issuer.fetches).toBe(before + 1);
  });

  it('answers 503, not 401, when the keys cannot be fetched', async () => {
    const offline = new AccessTokenVerifier(optionsFor(issuer, { keys: 'http://127.0.0.1:1/jwks' }));
    await expect(offline.verify(await issuer.token())).rejects.toMatchObject({
      problem: { status: 503, code: 'auth.keys-unavailable' },
    });
  });
});

describe('AccessTokenVerifier, a token seen before', () => {
  it('answers from what it verified, until the token expires', async () => {
    const short = new AccessTokenVerifier(optionsFor(issuer, { clockToleranceSeconds: 0 }));
    const token = await issuer.token({ expiresIn: 2 });
    await expect(short.verify(token)).resolves.toMatchObject({ subject: 'test-user' });
    await expect(short.verify(token)).resolves.toMatchObject({ subject: 'test-user' });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect(short.verify(token)).rejects.toMatchObject({ problem: { code: 'auth.token-invalid' } });
  });

  it('never remembers a refusal as a success', async () => {
    const [header, payload] = (await issuer.token()).split('.');
    const forged = `${header}.${payload}.${'A'.repeat(342)}`;
    await expect(verifier.verify(forged)).rejects.toMatchObject({ problem: { status: 401 } });
    await expect(verifier.verify(forged)).rejects.toMatchObject({ problem: { status: 401 } });
  });
});
