import { AccessTokenVerifier, AuthConfigSchema, verifierOptionsOf } from '@tandem/platform/auth';
import { DEV_AUDIENCE } from './dev-provider-contract';

/**
 * An `AccessTokenVerifier` configured as a service would be (AuthConfigSchema's defaults), from an issuer's
 * discovery document: its `issuer` and `jwks_uri`, and the API's audience.
 */
export async function verifierFromDiscovery(
  issuer: string,
  audience = DEV_AUDIENCE,
): Promise<AccessTokenVerifier> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`no discovery document at ${issuer}: HTTP ${response.status}`);
  const document = (await response.json()) as Record<string, unknown>;
  const config = AuthConfigSchema.parse({
    AUTH_ISSUER: document['issuer'],
    AUTH_AUDIENCE: audience,
    AUTH_JWKS_URL: document['jwks_uri'],
  });
  return new AccessTokenVerifier(verifierOptionsOf(config));
}
