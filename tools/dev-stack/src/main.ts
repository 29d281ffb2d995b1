// `npm start`: the whole system on one machine. Embedded Kafka and PGlite stand in for whatever of KAFKA_BROKERS,
// WRITE_DATABASE_URL and READ_DATABASE_URL is not set.
import { startStack } from './stack';

function option(name: string): string | undefined {
  const value = process.env[name];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

async function main(): Promise<void> {
  const gatewayPort = Number(option('GATEWAY_PORT') ?? 3000);
  if (!Number.isInteger(gatewayPort) || gatewayPort < 0 || gatewayPort > 65535) {
    throw new Error(`GATEWAY_PORT must be a port number, got "${option('GATEWAY_PORT')}"`);
  }
  const stack = await startStack({
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
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(`[dev-stack] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
