// The development OpenID Provider (oidc-provider, demo users, key rotation) and the client that gets its tokens.
export { startDevOidcProvider, type DevOidcOptions, type DevOidcProvider } from './dev-oidc-provider';
export { DEMO_USERS, demoUser, isDemoUsername, type DemoUser, type DemoUsername } from './demo-users';
export * from './dev-provider-contract';
export * from './login';
export { verifierFromDiscovery } from './verifier-from-discovery';
