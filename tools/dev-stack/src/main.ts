// `npm start`: the whole system on one machine. Embedded Kafka and PGlite stand in for whatever of KAFKA_BROKERS,
// WRITE_DATABASE_URL and READ_DATABASE_URL is not set, and the development OpenID Provider unless AUTH_ISSUER is.
import { DEFAULT_DEV_ISSUER, DEV_AUDIENCE } from '@tandem/dev-oidc';
import { startStack } from './stack';
import type { AuthSettings } from './stack-auth';

function option(name: string): string | undefined {
  const value = process.env[name];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

async function main(): Promise<void> {
  const gatewayPort = port('GATEWAY_PORT', 3000);
  const stack = await startStack({
    auth: externalAuth(),
    oidcPort: port('DEV_OIDC_PORT', 3004),
    kafkaBrokers: option('KAFKA_BROKERS'),
    writeDatabaseUrl: option('WRITE_DATABASE_URL'),
    readDatabaseUrl: option('READ_DATABASE_URL'),
    ports: { gateway: gatewayPort },
  });
  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[dev-stack] ${reason}: stopping`);
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('interrupted', 0));
  process.on('SIGTERM', () => void stop('terminated', 0));
  for (const service of Object.values(stack.processes)) {
    void service.exited.then((code) => stop(`${service.name} exited with code ${code}`, 1));
  }
  console.log(
    [
      '',
      'Tandem is up.',
      `  Gateway:  ${stack.gatewayUrl}/api`,
      `  API docs: ${stack.gatewayUrl}/api/docs (OpenAPI document: ${stack.gatewayUrl}/api/openapi.json)`,
      `  Kafka:    ${stack.kafkaBrokers}`,
      ...authLines(stack.issuerUrl, stack.gatewayUrl, externalAuth() !== undefined),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

function port(name: string, fallback: number): number {
  const value = Number(option(name) ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number, got "${option(name)}"`);
  }
  return value;
}

/** The OpenID Provider named by AUTH_ISSUER (with AUTH_JWKS_URL and AUTH_AUDIENCE), or none: the dev one then. */
function externalAuth(): AuthSettings | undefined {
  const issuer = option('AUTH_ISSUER');
  if (!issuer) return undefined;
  const jwksUrl = option('AUTH_JWKS_URL');
  if (!jwksUrl)
    throw new Error(
      'AUTH_ISSUER is set: set AUTH_JWKS_URL (its JWKS) too, or unset both for the dev provider',
    );
  return { issuer, jwksUrl, audience: option('AUTH_AUDIENCE') ?? DEV_AUDIENCE };
}

function authLines(issuer: string, gatewayUrl: string, external: boolean): string[] {
  if (external) return [`  Issuer:   ${issuer} (AUTH_ISSUER: get tokens from it)`];
  const token = `npm run -s token -- --user customer1${issuer === DEFAULT_DEV_ISSUER ? '' : ` --issuer ${issuer}`}`;
  return [
    `  Issuer:   ${issuer} (development OpenID Provider; users customer1, customer2, staff1, admin1: README)`,
    `  Token:    ${token}`,
    `            curl -H "authorization: Bearer $(${token})" ${gatewayUrl}/api/orders`,
  ];
}

main().catch((error: unknown) => {
  console.error(`[dev-stack] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
