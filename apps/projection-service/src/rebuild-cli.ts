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
  const { PROJECTION_SERVICE_URL: base, ACCESS_TOKEN: token } = loadRebuildCliConfig();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const started = await fetch(`${base}/admin/projections/${encodeURIComponent(name)}/rebuild`, {
    method: 'POST',
    headers,
  });
  if (started.status !== 202) {
    process.stderr.write(`rebuild refused (${started.status}): ${await started.text()}\n`);
    process.exit(1);
  }
  const { startedAt } = (await started.json()) as { startedAt: string };
  process.stdout.write(`rebuilding ${name} (started ${startedAt})…\n`);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const answer = (await (await fetch(`${base}/admin/projections`, { headers })).json()) as {
      projections: Array<{
        name: string;
        eventsApplied: number;
        lastRebuild: { startedAt: string; outcome: string; error: string | null } | null;
      }>;
    };
    const rebuild = answer.projections.find((p) => p.name === name)?.lastRebuild;
    if (!rebuild || rebuild.startedAt !== startedAt) {
      // The service restarted (and forgot this rebuild) or another one began: we cannot know how ours ended.
      throw new Error(`the projection service no longer reports the rebuild started at ${startedAt}`);
    }
    if (rebuild.outcome === 'swapped') {
      process.stdout.write(`${name} rebuilt and swapped in\n`);
      return;
    }
    if (rebuild.outcome === 'failed') {
      throw new Error(
        `the rebuild of ${name} failed, the live tables were kept: ${rebuild.error ?? 'unknown'}`,
      );
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `projection:rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
