// `npm start`: the whole system on one machine. Embedded Kafka and PGlite stand in for whatever of KAFKA_BROKERS,
// WRITE_DATABASE_URL and READ_DATABASE_URL is not set, and the development OpenID Provider unless AUTH_ISSUER is.
// SIGTERM or SIGINT (Ctrl-C) stops every service the way Kubernetes would (SIGTERM, then SIGKILL after the grace
// period), waits for them, and exits 0 if every one of them stopped cleanly. The npm script `exec`s this process, so
// the signal npm forwards reaches it (a shell in between would die of it and leave the services running).
import { DEFAULT_DEV_ISSUER, DEV_AUDIENCE } from '@tandem/dev-oidc';
import { startStack } from './stack';
import type { AuthSettings } from './stack-auth';

function option(name: string): string | undefined {
  const value = process.env[name];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

async function main(): Promise<void> {
  const stack = await startStack({
    auth: externalAuth(),
    oidcPort: port('DEV_OIDC_PORT', 3004),
    kafkaBrokers: option('KAFKA_BROKERS'),
    writeDatabaseUrl: option('WRITE_DATABASE_URL'),
    readDatabaseUrl: option('READ_DATABASE_URL'),
    ports: {
      gateway: port('GATEWAY_PORT', 3000),
      'command-service': port('COMMAND_SERVICE_PORT', 3001),
      'query-service': port('QUERY_SERVICE_PORT', 3002),
      'projection-service': port('PROJECTION_SERVICE_PORT', 3003),
    },
  });
  const services = Object.values(stack.processes);
  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n[dev-stack] ${reason}: stopping (SIGTERM to each service, then waiting for it)`);
    const exits = services.map((service) =>
      service.exited.then((exitCode) => {
        const how = exitCode === null ? `signal ${service.child.signalCode ?? '?'}` : `code ${exitCode}`;
        console.log(`[dev-stack] ${service.name} exited with ${how}`);
        return exitCode;
      }),
    );
    await stack.stop();
    const codes = await Promise.all(exits);
    process.exit(codes.every((exitCode) => exitCode === 0) ? code : 1);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stopping) {
      void stop(signal === 'SIGINT' ? 'interrupted' : 'terminated', 0);
      return;
    }
    // A second signal: do not wait any longer.
    console.log(`[dev-stack] ${signal} again: killing the services`);
    for (const service of services) service.child.kill('SIGKILL');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  for (const service of services) {
    void service.exited.then((code) => stop(`${service.name} exited with code ${code}`, 1));
  }
  console.log(
    [
      '',
      'Tandem is up.',
      `  Gateway:  ${stack.gatewayUrl}/api`,
      `  API docs: ${stack.gatewayUrl}/api/docs (OpenAPI document: ${stack.gatewayUrl}/api/openapi.json)`,
      `  Kafka:    ${stack.kafkaBrokers}`,
      `  Services: ${services.map((s) => `${s.name} ${s.url} (pid ${s.child.pid ?? '?'})`).join(', ')}`,
      ...authLines(stack.issuerUrl, stack.gatewayUrl, externalAuth() !== undefined),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

function port(name: string, fallback: number): number {
  const value = Number(option(name) ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number (0: any free one), got "${option(name)}"`);
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
