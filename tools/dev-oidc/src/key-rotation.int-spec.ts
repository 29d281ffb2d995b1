import { decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { CookieJar } from 'tough-cookie';
import { DEMO_USERS } from './demo-users';
import { startDevOidcProvider, type DevOidcProvider } from './dev-oidc-provider';
import { CLI_REDIRECT_URI, DEV_API_SCOPE, DEV_RESOURCE } from './dev-provider-contract';
import { accessTokenFor, discoverDevProvider } from './login';
import { verifierFromDiscovery } from './verifier-from-discovery';

const quiet = { port: 0, output: () => undefined };
const kidOf = (token: string) => String(decodeProtectedHeader(token).kid);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function publishedKids(provider: DevOidcProvider): Promise<string[]> {
  const response = await fetch(provider.jwksUrl);
  const { keys } = (await response.json()) as { keys: Array<{ kid: string; d?: string }> };
  expect(keys.every((key) => key.d === undefined)).toBe(true); // public keys only
  return keys.map((key) => key.kid);
}

describe('key rotation of the development provider', () => {
  let provider: DevOidcProvider;
  afterEach(() => provider.stop());

  it('refuses no valid token while keys rotate under a flow of requests, and signs new tokens with the new key', async () => {
    provider = await startDevOidcProvider(quiet);
    // One long-lived verifier, as a service holds: the remote JWKS, cached, fetched again for an unknown kid.
    const verifier = await verifierFromDiscovery(provider.issuer);
    const users = DEMO_USERS.map((user) => user.username);
    const held = await Promise.all(users.map((user) => accessTokenFor(provider.issuer, user)));
    const firstKid = provider.currentKid;
    const refused: string[] = [];
    let verified = 0;
    let running = true;

    // The flow: fresh tokens from the real endpoints, each verified with the oldest and a random older one.
    const flow = (async () => {
      for (let i = 0; running; i++) {
        const fresh = await accessTokenFor(provider.issuer, users[i % users.length] ?? 'customer1');
        const older = held[Math.floor(Math.random() * held.length)] ?? fresh;
        held.push(fresh);
        const results = await Promise.allSettled(
          [fresh, held[0] ?? fresh, older].map((t) => verifier.verify(t)),
        );
        for (const result of results) {
          if (result.status === 'rejected') refused.push(String((result.reason as Error).message));
          else verified++;
        }
      }
    })();

    const rotated: string[] = [];
    for (let n = 0; n < 3; n++) {
      await sleep(300);
      const kid = await provider.rotateKeys();
      rotated.push(kid);
      expect(provider.currentKid).toBe(kid);
      const fresh = await accessTokenFor(provider.issuer, 'customer1');
      expect(kidOf(fresh)).toBe(kid);
      await expect(verifier.verify(fresh)).resolves.toMatchObject({ subject: 'customer1' });
    }
    running = false;
    await flow;

    expect(refused).toEqual([]);
    expect(verified).toBeGreaterThan(50);
    expect(new Set(rotated).size).toBe(3);
    expect(new Set(held.map(kidOf))).toEqual(new Set([firstKid, ...rotated]));
    // Every key that signed a token that has not expired is still published, the signing one first.
    expect(await publishedKids(provider)).toEqual([...rotated].reverse().concat(firstKid));
    for (const token of held) await expect(verifier.verify(token)).resolves.toMatchObject({});
  });

  it('publishes a new key before it signs with it', async () => {
    // Generous: generating the new RSA key may take a second or more on a loaded machine.
    provider = await startDevOidcProvider({ ...quiet, keyActivationDelayMs: 6000 });
    const before = provider.currentKid;
    const rotation = provider.rotateKeys();
    let published: string[] = [];
    for (const deadline = Date.now() + 5000; published.length < 2 && Date.now() < deadline;) {
      await sleep(100);
      published = await publishedKids(provider);
    }
    expect(published).toHaveLength(2);
    expect(published[0]).toBe(before);
    expect(kidOf(await accessTokenFor(provider.issuer, 'staff1'))).toBe(before);
    const kid = await rotation;
    expect(published[1]).toBe(kid);
    expect(kidOf(await accessTokenFor(provider.issuer, 'staff1'))).toBe(kid);
  });

  it('withdraws a retired key once the tokens it signed have expired', async () => {
    provider = await startDevOidcProvider({
      ...quiet,
      accessTokenTtlSeconds: 1,
      retiredKeyRetentionMs: 1000,
      keyActivationDelayMs: 100,
    });
    const old = provider.currentKid;
    const kid = await provider.rotateKeys();
    expect(await publishedKids(provider)).toEqual([kid, old]);
    const deadline = Date.now() + 5000;
    while ((await publishedKids(provider)).includes(old) && Date.now() < deadline) await sleep(100);
    expect(await publishedKids(provider)).toEqual([kid]);
    expect(provider.publishedKids).toEqual([kid]);
  });

  it('keeps logins in progress and sessions across a rotation', async () => {
    provider = await startDevOidcProvider({ ...quiet, keyActivationDelayMs: 100 });
    const browser = new Browser();
    const config = await discoverDevProvider(provider.issuer);

    // A login begun before the rotation (the form shown), finished after it.
    const first = await browser.authorize(config);
    expect(first.loginForm).toBeDefined();
    await provider.rotateKeys();
    const code = await browser.submitLogin(first, 'customer2', 'customer2-password');
    const token = await browser.exchange(config, first, code);
    expect(kidOf(token)).toBe(provider.currentKid);

    // The session cookie from before the next rotation still signs the user in: no form this time.
    await provider.rotateKeys();
    const second = await browser.authorize(config);
    expect(second.loginForm).toBeUndefined();
    const again = await browser.exchange(config, second, second.callback ?? new URL('http://missing'));
    const verifier = await verifierFromDiscovery(provider.issuer);
    await expect(verifier.verify(again)).resolves.toMatchObject({ subject: 'customer2' });
  });
});

interface Attempt {
  verifier: string;
  state: string;
  loginForm?: URL;
  callback?: URL;
}

/** A cookie-keeping user agent that stops at the login form, so that a test can act between the steps. */
class Browser {
  private readonly jar = new CookieJar();

  async authorize(config: oidc.Configuration): Promise<Attempt> {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CLI_REDIRECT_URI,
      scope: `openid email ${DEV_API_SCOPE}`,
      resource: DEV_RESOURCE,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const end = await this.follow(url);
    return end.href.startsWith(CLI_REDIRECT_URI)
      ? { verifier, state, callback: end }
      : { verifier, state, loginForm: end };
  }

  async submitLogin(attempt: Attempt, username: string, password: string): Promise<URL> {
    if (!attempt.loginForm) throw new Error('no login form');
    const end = await this.follow(new URL(`${attempt.loginForm.pathname}/login`, attempt.loginForm), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    if (!end.href.startsWith(CLI_REDIRECT_URI)) throw new Error(`the login ended at ${end.href}`);
    return end;
  }

  async exchange(config: oidc.Configuration, attempt: Attempt, callback: URL): Promise<string> {
    const tokens = await oidc.authorizationCodeGrant(
      config,
      callback,
      { pkceCodeVerifier: attempt.verifier, expectedState: attempt.state },
      { resource: DEV_RESOURCE },
    );
    return tokens.access_token;
  }

  /** Follows redirects until the client's redirect URI or a page; returns where it stopped. */
  private async follow(start: URL, init: RequestInit = {}): Promise<URL> {
    let url = start;
    let request = init;
    for (let step = 0; step < 10; step++) {
      const cookie = await this.jar.getCookieString(url);
      const headers = {
        ...(request.headers as Record<string, string> | undefined),
        ...(cookie ? { cookie } : {}),
      };
      const response = await fetch(url, { ...request, headers, redirect: 'manual' });
      for (const line of response.headers.getSetCookie()) await this.jar.setCookie(line, url);
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (!location) return url;
      url = new URL(location, url);
      if (url.href.startsWith(CLI_REDIRECT_URI)) return url;
      request = {};
    }
    throw new Error('too many redirects');
  }
}
