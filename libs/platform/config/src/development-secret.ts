import { z } from 'zod';

/** What a development secret's schema remembers: the public default it stands in with. */
interface DevelopmentSecretMeta {
  developmentDefault: string;
}

/** The schemas made by `developmentSecret`, so that `parseConfig` can tell which variables they are. */
export const DEVELOPMENT_SECRETS = z.registry<DevelopmentSecretMeta>();

/**
 * A secret (an HMAC key) with a public default, so that `npm start` and the tests need no setup. Outside
 * development (`NODE_ENV=production`) the default is refused, as is an unset variable: `parseConfig` reports
 * the variable by name and the service stops with exit code 78, rather than signing with a key anyone can read.
 */
export function developmentSecret(options: { developmentDefault: string; minLength?: number }) {
  const minLength = options.minLength ?? 16;
  const schema = z
    .string()
    .min(minLength, `must be at least ${minLength} characters`)
    .default(options.developmentDefault);
  DEVELOPMENT_SECRETS.add(schema, { developmentDefault: options.developmentDefault });
  return schema;
}

/** Whether the environment says it is not development: `NODE_ENV=production`. */
export function isProduction(env: NodeJS.ProcessEnv): boolean {
  return env['NODE_ENV']?.trim() === 'production';
}

/** Each variable of `shape` that holds its development default in production, with what to do about it. */
export function developmentSecretsInProduction(
  shape: Record<string, z.ZodType>,
  values: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Array<{ variable: string; message: string }> {
  if (!isProduction(env)) return [];
  const problems: Array<{ variable: string; message: string }> = [];
  for (const [variable, schema] of Object.entries(shape)) {
    const meta = DEVELOPMENT_SECRETS.get(schema);
    if (meta !== undefined && values[variable] === meta.developmentDefault) {
      problems.push({
        variable,
        message:
          'holds the public development default (or is unset) while NODE_ENV=production: set a secret of your own',
      });
    }
  }
  return problems;
}
