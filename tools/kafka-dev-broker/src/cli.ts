// Command line entry of the development Kafka broker: `npm run broker -- --port 9092 [--data-dir DIR] [--partitions N]`.
import { resolve } from 'node:path';
import { parseCliArgs, USAGE } from './cli-args';
import { startDevBroker } from './index';

async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (!parsed.ok) {
    if ('help' in parsed) {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    process.stderr.write(`kafka-dev-broker: ${parsed.error}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const { options } = parsed;
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const broker = await startDevBroker({
    port: options.port,
    host: options.host,
    dataDir,
    defaultPartitions: options.partitions,
    maxBytesPerPartition: options.maxPartitionBytes,
  });
  process.stdout.write(
    `kafka-dev-broker listening on ${broker.bootstrap}${dataDir ? ` (data dir ${dataDir})` : ' (in memory)'}\n`,
  );

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`kafka-dev-broker: ${signal}, stopping\n`);
    broker.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`kafka-dev-broker: stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`kafka-dev-broker: cannot start: ${message}\n`);
  process.exit(1);
});
