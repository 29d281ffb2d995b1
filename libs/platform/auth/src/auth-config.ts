import { z } from 'zod';
import { httpUrl, integer } from '@tandem/platform/config';

/** The public development default: a service outside development must be given a secret of its own. */
export const DEVELOPMENT_CONSISTENCY_TOKEN_SECRET = 'tandem-development-consistency-token-secret';

/** Asymmetric JWS algorithms only: never `none`, never an HMAC one (a public key must not verify as a secret). */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

const algorithmList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .superRefine((algorithms, ctx) => {
    if (algorithms.length === 0) ctx.addIssue({ code: 'custom', message: 'lists no algorithm' });
    for (const algorithm of algorithms) {
      if (!(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(algorithm)) {
        ctx.addIssue({
          code: 'custom',
          message: `"${algorithm}" is not an asymmetric JWS algorithm (allowed: ${ASYMMETRIC_ALGORITHMS.join(', ')})`,
        });
      }
    }
  });

/**
 * Imported by each service's config.ts, which its tracing.ts loads before OpenTelemetry patches `http`: this file
 * must load nothing but zod and the config helpers (its own entry point, `@tandem/platform/auth/config`).
 *
 * The access-token settings every service reads (ARCHITECTURE decision 11): the issuer's identifier, the audience
 * the tokens must name, where its signing keys are published, which claim carries the roles. The same values in
 * the gateway and in each service behind it: each verifies the caller's token itself.
 */
export const AuthConfigSchema = z.object({
  AUTH_ISSUER: httpUrl(),
  AUTH_AUDIENCE: z.string().min(1, 'must name the audience the access tokens are issued for'),
  AUTH_JWKS_URL: httpUrl(),
  /** A claim name, or a dotted path into nested claims (`realm_access.roles`); an array or a space-separated string. */
  AUTH_ROLES_CLAIM: z
    .string()
    .regex(/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/, 'must be a claim name or a dotted path of claim names')
    .default('roles'),
  AUTH_ALGORITHMS: algorithmList.default(['RS256', 'PS256', 'ES256', 'EdDSA']),
  AUTH_CLOCK_TOLERANCE_SECONDS: z.pipe(integer({ min: 0, max: 300, default: 30 }), z.number()),
});
export type AuthConfig = z.infer<typeof AuthConfigSchema>;
