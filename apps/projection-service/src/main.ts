import { earlyListenPort } from './early-port';
import { preloadPackages } from './preload-packages';
import { listenWhileStarting } from './starting-server';

// Nothing but node:http is loaded before the port is open: /health/live answers while the rest loads (Nest,
// TypeORM, kafkajs: seconds on a busy node) and while the consumer groups join (after a crash, that waits out the
// dead members' sessions); /health/ready says what it is waiting for.
async function main(): Promise<void> {
  const command = process.argv[2];
  const port = command === 'migrate' ? null : earlyListenPort(process.env);
  const early = port === null ? null : await listenWhileStarting(port, '0.0.0.0');
  if (early) await preloadPackages();
  const { runProjectionService } = await import('./run-projection-service');
  await runProjectionService(command, early);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `projection-service failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
