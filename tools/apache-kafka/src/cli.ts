// `npm run kafka -- [--port 9092] [--data-dir DIR]`: Apache Kafka in the foreground until Ctrl-C or SIGTERM.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startApacheKafka } from './apache-kafka';

const USAGE = `Usage: npm run kafka -- [--port 9092] [--data-dir DIR]

  --port N        client port on 127.0.0.1 (0 picks a free one). Default 9092.
  --data-dir DIR  keep topics and offsets in DIR across restarts. Default: a temporary dir.

Fetches Apache Kafka with Maven on first use (needs Java 17+ and Maven).`;

function fail(message: string, code: number): never {
  process.stderr.write(`apache-kafka: ${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let values: { port?: string; 'data-dir'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const rawPort = values.port ?? '9092';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535)
    fail(`--port needs a whole number in 0..65535, got '${rawPort}'`, 2);
  const dataDir = values['data-dir'] === undefined ? undefined : resolve(values['data-dir']);

  const kafka = await startApacheKafka({
    port,
    dataDir,
    log: (line) => process.stderr.write(`apache-kafka: ${line}\n`),
  });
  process.stdout.write(
    `Apache Kafka ${kafka.version} listening on ${kafka.bootstrap} (log ${kafka.logFile})\n`,
  );

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`apache-kafka: ${signal}, stopping\n`);
    kafka.stop().then(
      () => process.exit(0),
      (error: unknown) => fail(`stop failed: ${String(error)}`, 1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) =>
  fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`, 1),
);
