// `npm run projection:rebuild -- <name>`: asks the running projection service to rebuild one read model (new tables
// filled from offset 0, swapped in atomically) and waits until it is swapped in, printing progress.
import { loadRebuildCliConfig } from './config';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name) {
    process.stderr.write(
      'usage: npm run projection:rebuild -- <order-summary|customer-orders|daily-sales>\n',
    );
    process.exit(2);
  }
  const { PROJECTION_SERVICE_URL: base } = loadRebuildCliConfig();
  const started = await fetch(`${base}/admin/projections/${encodeURIComponent(name)}/rebuild`, {
    method: 'POST',
  });
  if (started.status !== 202) {
    process.stderr.write(`rebuild refused (${started.status}): ${await started.text()}\n`);
    process.exit(1);
  }
  process.stdout.write(`rebuilding ${name}…\n`);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const answer = (await (await fetch(`${base}/admin/projections`)).json()) as {
      projections: Array<{ name: string; state: string; eventsApplied: number }>;
    };
    const status = answer.projections.find((p) => p.name === name);
    if (status && status.state !== 'rebuilding') {
      process.stdout.write(`${name} rebuilt and swapped in (state ${status.state})\n`);
      return;
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `projection:rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
