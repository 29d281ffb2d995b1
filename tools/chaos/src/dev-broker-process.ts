// The development broker as a process of its own, so that the fault test can kill it (-9) and start it again on the
// same data dir: `node -r @swc-node/register tools/chaos/src/dev-broker-process.ts PORT ADVERTISED_PORT DATA_DIR`.
import { startDevBroker } from '@tandem/kafka-dev-broker';

async function main(): Promise<void> {
  const [port, advertisedPort, dataDir] = process.argv.slice(2);
  if (!port || !advertisedPort || !dataDir)
    throw new Error('usage: dev-broker-process PORT ADVERTISED_PORT DATA_DIR');
  const broker = await startDevBroker({
    port: Number(port),
    advertisedPort: Number(advertisedPort),
    dataDir,
    defaultPartitions: 6,
    initialRebalanceDelayMs: 0,
    logger: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`listening on ${broker.port}\n`);
  const stop = () => void broker.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`dev broker failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
