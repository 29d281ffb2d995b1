import { z } from 'zod';
import { developmentSecretsInProduction } from './development-secret';

export interface ConfigProblem {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly service: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `${service}: invalid configuration:\n` +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
  }
}

/**
 * Parses the environment against a schema whose keys are the variable names. Every problem is reported at once,
 * each naming its variable, so one restart fixes them all. With `NODE_ENV=production`, a `developmentSecret`
 * left at its public default is one of them.
 */
export function parseConfig<S extends z.ZodObject>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    // An empty variable is treated as unset, as most deployment tools render a missing value as "".
    input[key] = value === undefined || value.trim() === '' ? undefined : value.trim();
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(environment)'),
      message:
        issue.code === 'invalid_type' && input[String(issue.path[0])] === undefined
          ? 'is required'
          : issue.message,
    }));
    throw new ConfigError(service, problems);
  }
  const secrets = developmentSecretsInProduction(schema.shape, result.data, env);
  if (secrets.length > 0) throw new ConfigError(service, secrets);
  return result.data;
}

/** `parseConfig`, but a bad environment stops the process with exit code 78 (EX_CONFIG) and a readable message. */
export function loadConfigOrExit<S extends z.ZodObject>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  try {
    return parseConfig(service, schema, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
