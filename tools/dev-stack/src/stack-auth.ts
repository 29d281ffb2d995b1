import { DevTokens, startDevOidcProvider } from '@tandem/dev-oidc';

/** An OpenID Provider the services trust: what AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL say. */
export interface AuthSettings {
  issuer: string;
  audience: string;
  jwksUrl: string;
}

export interface StackAuth {
  settings: AuthSettings;
  /** An access token for a demo user, through the provider's real endpoints (cached per user). */
  tokenFor(username: string): Promise<string>;
  /** Rotates the provider's signing key (see `DevOidcProvider.rotateKeys`); resolves with the new `kid`. */
  rotateKeys(): Promise<string>;
}

/**
 * The stack's identity provider: the given external one, or the development provider started in this process
 * (before the services, which fetch its keys), stopped with the stack.
 */
export async function startStackAuth(
  external: AuthSettings | undefined,
  port: number,
  cleanups: Array<() => Promise<void>>,
  output: (line: string) => void,
): Promise<StackAuth> {
  if (external) {
    const notHere = (what: string) => () =>
      Promise.reject(
        new Error(`${what} needs the development provider; this stack trusts ${external.issuer}`),
      );
    return { settings: external, tokenFor: notHere('tokenFor'), rotateKeys: notHere('rotateKeys') };
  }
  const provider = await startDevOidcProvider({ port, output });
  cleanups.push(() => provider.stop());
  const tokens = new DevTokens(provider.issuer);
  return {
    settings: { issuer: provider.issuer, audience: provider.audience, jwksUrl: provider.jwksUrl },
    tokenFor: (username) => tokens.tokenFor(username),
    rotateKeys: () => provider.rotateKeys(),
  };
}

export function authEnv(settings: AuthSettings): Record<string, string> {
  return { AUTH_ISSUER: settings.issuer, AUTH_AUDIENCE: settings.audience, AUTH_JWKS_URL: settings.jwksUrl };
}
