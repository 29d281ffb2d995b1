import type { JWK } from 'jose';
import { errors, type AdapterFactory, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { demoUser } from './demo-users';
import {
  CLI_CLIENT_ID,
  CLI_REDIRECT_URI,
  DEV_API_SCOPE,
  DEV_AUDIENCE,
  DEV_PROVIDER_MARKER,
  DEV_RESOURCE,
  WEB_CLIENT_ID,
} from './dev-provider-contract';
import { SIGNING_ALGORITHM } from './signing-keys';

export interface ProviderSettings {
  /** The private keys, the signing one first. */
  keys: JWK[];
  signingKid: string;
  /** The keys that sign the interaction and session cookies: the same across rebuilds, so sessions go on. */
  cookieKeys: string[];
  accessTokenTtlSeconds: number;
  /** Where the browser client may be sent back to. */
  webRedirectUris: string[];
  /** The storage every Provider of one development provider shares (`MemoryStore`). */
  adapter: AdapterFactory;
}

const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/** The oidc-provider configuration of the development provider (the interaction routes are `interactions.ts`). */
export function providerConfiguration(settings: ProviderSettings): Configuration {
  const ttl = settings.accessTokenTtlSeconds;
  return {
    adapter: settings.adapter,
    clients: [
      {
        client_id: CLI_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [CLI_REDIRECT_URI],
      },
      {
        client_id: WEB_CLIENT_ID,
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: settings.webRedirectUris,
      },
    ],
    // Browsers may call the token endpoint for the frontend's client from a page served on this machine only.
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientId === WEB_CLIENT_ID && LOOPBACK_ORIGIN.test(origin),
    jwks: { keys: settings.keys },
    cookies: { keys: settings.cookieKeys },
    findAccount: (_ctx, id) => {
      const user = demoUser(id);
      if (!user) return undefined;
      return {
        accountId: user.username,
        claims: () => ({ sub: user.username, name: user.name, email: user.email, email_verified: true }),
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile', DEV_API_SCOPE],
    // RFC 9068 access tokens for the API: roles and the verified email ride in them, so the services need no lookup.
    extraTokenClaims: (_ctx, token) => {
      const user = 'accountId' in token ? demoUser(token.accountId) : undefined;
      if (!user) return undefined;
      return { roles: [...user.roles], email: user.email, email_verified: true };
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => DEV_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: KoaContextWithOIDC, indicator: string) => {
          if (indicator !== DEV_RESOURCE)
            throw new errors.InvalidTarget(`the only resource here is ${DEV_RESOURCE}`);
          return {
            scope: DEV_API_SCOPE,
            audience: DEV_AUDIENCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ttl,
            jwt: { sign: { alg: SIGNING_ALGORITHM, kid: settings.signingKid } },
          };
        },
      },
    },
    ttl: {
      AccessToken: ttl,
      IdToken: ttl,
      AuthorizationCode: 60,
      Interaction: 10 * 60,
      Session: 24 * 60 * 60,
      Grant: 24 * 60 * 60,
    },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    discovery: { [DEV_PROVIDER_MARKER]: true },
    // Every demo client is first party: `interactions.ts` grants what they ask at the consent prompt.
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
}
