// What the development provider and its clients agree on. No oidc-provider import here: `npm run token` and the
// tests' token helper load this without loading the provider.

/** The issuer `npm start` runs the provider as. */
export const DEFAULT_DEV_ISSUER = 'http://127.0.0.1:3004';
/** The audience (`aud`) of the access tokens: what the services' AUTH_AUDIENCE names. */
export const DEV_AUDIENCE = 'tandem-api';
/** The resource indicator (RFC 8707, an absolute URI) the clients ask tokens for; its tokens name DEV_AUDIENCE. */
export const DEV_RESOURCE = 'urn:tandem:api';
/** The resource server's one scope; roles, not scopes, decide what a caller may do. */
export const DEV_API_SCOPE = 'api';
/** Set to `true` in the discovery document: how `npm run token` knows it talks to this provider, not a real one. */
export const DEV_PROVIDER_MARKER = 'tandem_dev_provider';

/** The public client of `npm run token`, the e2e tests and benchmarks: code flow with PKCE, a loopback redirect. */
export const CLI_CLIENT_ID = 'tandem-cli';
export const CLI_REDIRECT_URI = 'http://127.0.0.1/callback';
/** The public client of a browser frontend: code flow with PKCE, CORS from loopback origins. */
export const WEB_CLIENT_ID = 'tandem-web';
