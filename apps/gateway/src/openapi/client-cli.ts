// `npm run client:generate [-- --check]`: writes docs/openapi.json (the gateway's document, built in process) and
// libs/client/src/generated/openapi.ts (its types, by openapi-typescript); with --check writes nothing and exits 1
// if either is stale. Prettier runs over nothing here: both files are ignored by it and compared byte for byte.
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clientFiles, staleClientFiles } from './client-files';
import { ROOT } from './published-document';

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    const stale = await staleClientFiles();
    if (stale.length > 0) {
      process.stderr.write(
        `stale: ${stale.join(', ')}: the gateway's OpenAPI document changed; run \`npm run client:generate\`\n`,
      );
      process.exit(1);
    }
    process.stdout.write('docs/openapi.json and the client types are up to date\n');
    return;
  }
  for (const file of await clientFiles()) {
    mkdirSync(path.dirname(path.join(ROOT, file.path)), { recursive: true });
    writeFileSync(path.join(ROOT, file.path), file.content);
    process.stdout.write(`wrote ${file.path}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
