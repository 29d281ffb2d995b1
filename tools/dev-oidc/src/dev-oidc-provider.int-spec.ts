import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeProtectedHeader } from 'jose';
import type { AccessTokenVerifier } from '@tandem/platform/auth';
import { DEMO_USERS } from './demo-users';
import { startDevOidcProvider, type DevOidcProvider } from './dev-oidc-provider';
import { DEV_PROVIDER_MARKER, WEB_CLIENT_ID } from './dev-provider-contract';
import { LOGIN_REFUSED } from './interactions';
import { accessTokenFor, DevTokens, LoginRefused } from './login';
import { verifierFromDiscovery } from './verifier-from-discovery';

let provider: DevOidcProvider;
let discovery: Record<string, unknown>;
let verifier: AccessTokenVerifier;

beforeAll(async () => {
  provider = await startDevOidcProvider({ port: 0, output: () => undefined });
  const response = await fetch(`${provider.issuer}/.well-known/openid-configuration`);
  discovery = (await response.json()) as Record<string, unknown>;
  verifier = await verifierFromDiscovery(provider.issuer);
});
afterAll(() => provider.stop());

describe('the development OpenID Provider', () => {
  it('publishes a discovery document for its loopback issuer, with the dev marker and PKCE', () => {
    expect(discovery).toMatchObject({
      issuer: provider.issuer,
      jwks_uri: provider.jwksUrl,
      [DEV_PROVIDER_MARKER]: true,
      code_challenge_methods_supported: ['S256'],
    });
    expect(provider.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each(DEMO_USERS.map((user) => [user.username, user] as const))(
    'a token for %s, through the real endpoints, verifies and carries its roles and email',
    async (username, user) => {
      const token = await accessTokenFor(provider.issuer, username);
      expect(decodeProtectedHeader(token)).toMatchObject({
        typ: 'at+jwt',
        alg: 'RS256',
        kid: provider.currentKid,
      });
      const principal = await verifier.verify(token);
      expect(principal).toEqual({
        subject: username,
        issuer: provider.issuer,
        roles: [...user.roles],
        email: user.email,
        expiresAt: expect.any(Number) as number,
      });
      // Short-lived: 15 minutes.
      expect(principal.expiresAt - Date.now() / 1000).toBeGreaterThan(890);
      expect(principal.expiresAt - Date.now() / 1000).toBeLessThanOrEqual(900);
    },
  );

  it('refuses a wrong password and an unknown user alike', async () => {
    await expect(accessTokenFor(provider.issuer, 'customer1', 'customer2-password')).rejects.toThrow(
      LoginRefused,
    );
    await expect(accessTokenFor(provider.issuer, 'mallory', 'customer1-password')).rejects.toThrow(
      LoginRefused,
    );
    await expect(accessTokenFor(provider.issuer, 'mallory')).rejects.toThrow(LoginRefused);
  });

  it('answers a refused login with 401 and the same words for an unknown user and a wrong password', async () => {
    const pages = await Promise.all(
      [
        ['customer1', 'wrong'],
        ['nobody', 'wrong'],
      ].map(async ([username, password]) => {
        const form = await loginFormUrl();
        const response = await fetch(`${form.url}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username: String(username), password: String(password) }).toString(),
        });
        return { status: response.status, refused: (await response.text()).includes(LOGIN_REFUSED) };
      }),
    );
    expect(pages).toEqual([
      { status: 401, refused: true },
      { status: 401, refused: true },
    ]);
  });

  it('lets the browser client call the token endpoint from a loopback origin only', async () => {
    const tokenRequest = (origin: string) =>
      fetch(String(discovery['token_endpoint']), {
        method: 'POST',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: 'nope',
          client_id: WEB_CLIENT_ID,
        }),
      });
    const local = await tokenRequest('http://localhost:5173');
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const foreign = await tokenRequest('https://evil.example');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('caches a token per user until shortly before it expires', async () => {
    const tokens = new DevTokens(provider.issuer);
    const [first, again] = await Promise.all([tokens.tokenFor('staff1'), tokens.tokenFor('staff1')]);
    expect(again).toBe(first);
    expect(await tokens.tokenFor('admin1')).not.toBe(first);
    expect((await tokens.headersFor('staff1')).authorization).toBe(`Bearer ${first}`);
  });

  it('sends the user back with access_denied when the login is cancelled', async () => {
    const form = await loginFormUrl();
    const response = await fetch(`${form.url}/abort`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: form.cookie },
    });
    expect(response.status).toBe(303);
    const resume = new URL(String(response.headers.get('location')), form.url);
    const back = await fetch(resume, {
      redirect: 'manual',
      headers: { cookie: resumeCookie(response, form.cookie) },
    });
    const callback = new URL(String(back.headers.get('location')));
    expect(callback.origin + callback.pathname).toBe('http://127.0.0.1/callback');
    expect(callback.searchParams.get('error')).toBe('access_denied');
  });

  it('rotates its keys on POST /dev/rotate-keys', async () => {
    const before = provider.currentKid;
    const response = await fetch(`${provider.issuer}/dev/rotate-keys`, { method: 'POST' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { kid: string; published: string[] };
    expect(body).toEqual({ kid: provider.currentKid, published: [provider.currentKid, before] });
    expect(body.kid).not.toBe(before);
  });

  it('keeps its signing keys in a data dir across restarts', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'dev-oidc-'));
    try {
      const first = await startDevOidcProvider({ port: 0, dataDir, output: () => undefined });
      const kid = first.currentKid;
      await first.stop();
      const second = await startDevOidcProvider({ port: 0, dataDir, output: () => undefined });
      expect(second.currentKid).toBe(kid);
      await second.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

/** The cookies to send to the authorization endpoint's resume step: the first ones and those just set. */
function resumeCookie(response: Response, first: string): string {
  const set = response.headers.getSetCookie().map((line) => line.split(';')[0]);
  return [first, ...set].join('; ');
}

/** The login form of a fresh authorization request: its URL and the interaction cookies. */
async function loginFormUrl(): Promise<{ url: string; cookie: string }> {
  const start = new URL(String(discovery['authorization_endpoint']));
  start.search = new URLSearchParams({
    client_id: 'tandem-cli',
    response_type: 'code',
    redirect_uri: 'http://127.0.0.1/callback',
    scope: 'openid',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  }).toString();
  const response = await fetch(start, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (response.status !== 303 || !location) throw new Error(`no redirect to the login: ${response.status}`);
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return { url: new URL(location, start).href, cookie };
}
