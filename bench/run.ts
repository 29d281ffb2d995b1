// `npm run bench -- <name>`: runs bench/<name>/main.ts's exported `main()`. Each benchmark prints a readable table
// and ends with one machine-readable line `RESULT {json}`.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

async function run(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const available = readdirSync(__dirname, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(__dirname, entry.name, 'main.ts')))
    .map((entry) => entry.name);
  if (!name || !available.includes(name)) {
    console.error(`usage: npm run bench -- <name> [args]\nbenchmarks: ${available.join(', ') || '(none)'}`);
    process.exit(2);
  }
  const bench = require(path.join(__dirname, name, 'main.ts')) as { main: (args: string[]) => Promise<void> };
  await bench.main(args);
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
