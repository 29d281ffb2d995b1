// `npm test`: every check CI makes, in order of cost, stopping at the first failure:
// format, lint (with module boundaries), type check, unit tests, build, integration tests, end-to-end tests.
// Ends with one line `tests: N passed, N failed, N skipped` summing the jest runs.
// Extra arguments go to every jest run (e.g. `npm test -- --testPathPatterns kafka`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  FORCE_COLOR: process.env.FORCE_COLOR ?? '1',
  // PGlite loads its WASM through a dynamic import, which jest's VM refuses without this flag.
  NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules'].filter(Boolean).join(' '),
};
const extra = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
const outDir = mkdtempSync(path.join(tmpdir(), 'tandem-test-'));

if (!process.env.TEST_POSTGRES_URL) {
  console.log(
    'TEST_POSTGRES_URL is not set: tests run on embedded PGlite; tests that need a real server are skipped.',
  );
}

function step(name, command, args) {
  const started = Date.now();
  console.log(`\n=== ${name}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`=== ${name} failed after ${seconds}s`);
    return false;
  }
  console.log(`=== ${name} passed in ${seconds}s`);
  return true;
}

function jest(project, workers) {
  const outputFile = path.join(outDir, `${project}.json`);
  // Extra arguments first: --selectProjects takes every following word as a project name.
  const ok = step(`${project} tests`, bin('jest'), [
    ...extra,
    '--selectProjects',
    project,
    `--maxWorkers=${workers}`,
    '--json',
    `--outputFile=${outputFile}`,
    // A full run that finds no tests is broken (a bad match pattern, a wrong root), not green; with filters given,
    // a project the filter leaves empty is fine.
    ...(extra.length > 0 ? ['--passWithNoTests'] : []),
  ]);
  try {
    const report = JSON.parse(readFileSync(outputFile, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
    totals.skipped += report.numPendingTests + report.numTodoTests;
  } catch {
    totals.failed += 1;
  }
  return ok;
}

const steps = [
  () => step('format', bin('prettier'), ['--check', '--log-level', 'warn', '.']),
  () => step('lint', bin('nx'), ['run-many', '-t', 'lint', '--outputStyle=static']),
  () => step('type check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']),
  () => jest('unit', 2),
  () => step('build', process.execPath, ['tools/build/build.mjs']),
  () => jest('integration', 2),
  () => jest('e2e', 1),
];

let ok = true;
for (const run of steps) {
  if (!run()) {
    ok = false;
    break;
  }
}
rmSync(outDir, { recursive: true, force: true });
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok ? 0 : 1);
