import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { CookieJar } from 'tough-cookie';
import { demoUser } from './demo-users';
import {
  CLI_CLIENT_ID,
  CLI_REDIRECT_URI,
  DEV_API_SCOPE,
  DEV_PROVIDER_MARKER,
  DEV_RESOURCE,
} from './dev-provider-contract';

/** The provider refused the credentials (an unknown user or a wrong password: it does not say which). */
export class LoginRefused extends Error {
  override readonly name = 'LoginRefused';
}

/** The issuer is not the development provider: this client's login form exists only there. */
export class NotADevProvider extends Error {
  override readonly name = 'NotADevProvider';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_STEPS = 10;

/** Whether an issuer URL names this machine (the development provider never listens elsewhere). */
export function isLoopbackIssuer(issuer: string): boolean {
  const url = URL.parse(issuer);
  return url !== null && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/** The issuer's discovery, refused unless it is a development provider on this machine. */
export async function discoverDevProvider(issuer: string): Promise<oidc.Configuration> {
  if (!isLoopbackIssuer(issuer)) {
    throw new NotADevProvider(
      `${issuer} is not a development provider: it is not on this machine (http loopback).`,
    );
  }
  const config = await oidc.discovery(new URL(issuer), CLI_CLIENT_ID, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
  if (config.serverMetadata()[DEV_PROVIDER_MARKER] !== true) {
    throw new NotADevProvider(
      `${issuer} is not Tandem's development provider: its discovery document lacks "${DEV_PROVIDER_MARKER}".`,
    );
  }
  return config;
}

/**
 * An access token for a demo user, the way a native app gets one (RFC 8252): authorization code with PKCE through
 * the provider's real endpoints, openid-client as the relying party. The authorization request, the login form,
 * the consent and the redirect back are followed as a browser would, with a cookie jar; the code is then
 * exchanged at the token endpoint. The password defaults to the demo user's.
 */
export async function accessTokenFor(issuer: string, username: string, password?: string): Promise<string> {
  const secret = password ?? demoUser(username)?.password;
  if (secret === undefined) throw new LoginRefused(`"${username}" is not a demo user: give its password.`);
  const config = await discoverDevProvider(issuer);
  const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
  const expectedState = oidc.randomState();
  const start = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CLI_REDIRECT_URI,
    scope: `openid email ${DEV_API_SCOPE}`,
    resource: DEV_RESOURCE,
    code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: expectedState,
  });
  const callback = await browse(start, username, secret);
  const tokens = await oidc.authorizationCodeGrant(
    config,
    callback,
    { pkceCodeVerifier, expectedState },
    { resource: DEV_RESOURCE },
  );
  return tokens.access_token;
}

/** Follows the redirects from the authorization request to the client's redirect URI, signing in on the way. */
async function browse(start: URL, username: string, password: string): Promise<URL> {
  const jar = new CookieJar();
  const send = async (url: URL, init: RequestInit = {}): Promise<Response> => {
    const cookie = await jar.getCookieString(url);
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string> | undefined) },
    });
    for (const line of response.headers.getSetCookie()) await jar.setCookie(line, url);
    return response;
  };
  let url = start;
  let response = await send(url);
  for (let step = 0; step < MAX_STEPS; step++) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      if (url.href.startsWith(`${CLI_REDIRECT_URI}?`)) return url;
      response = await send(url);
      continue;
    }
    const text = await response.text();
    if (response.status === 200 && /^\/interaction\/[\w-]+$/.test(url.pathname)) {
      // The login form: submit the credentials as the browser would.
      const login = new URL(`${url.pathname}/login`, url);
      response = await send(login, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password }).toString(),
      });
      if (response.status === 401) {
        await response.body?.cancel();
        throw new LoginRefused(
          `The development provider refused to sign in "${username}": unknown user or wrong password.`,
        );
      }
      url = login;
      continue;
    }
    throw new Error(
      `The login stopped at ${url.pathname} with HTTP ${response.status}: ${text.slice(0, 300)}`,
    );
  }
  throw new Error(`The login did not come back to ${CLI_REDIRECT_URI} within ${MAX_STEPS} redirects.`);
}

/**
 * Access tokens per demo user, each obtained through the real endpoints once and reused until a minute before it
 * expires: what the e2e tests and benchmarks call before each request.
 */
export class DevTokens {
  private readonly tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();

  constructor(private readonly issuer: string) {}

  async tokenFor(username: string): Promise<string> {
    const cached = this.tokens.get(username);
    if (cached) {
      const entry = await cached.catch(() => undefined);
      if (entry && entry.expiresAt - 60 > Date.now() / 1000) return entry.token;
    }
    const fresh = accessTokenFor(this.issuer, username).then((token) => ({
      token,
      expiresAt: Number(decodeJwt(token).exp),
    }));
    this.tokens.set(username, fresh);
    return (await fresh).token;
  }

  /** `{ authorization: 'Bearer …' }` for that user. */
  async headersFor(username: string): Promise<{ authorization: string }> {
    return { authorization: `Bearer ${await this.tokenFor(username)}` };
  }
}
