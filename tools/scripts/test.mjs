// `npm test`: every check CI makes, in order of cost, stopping at the first failure:
// format, lint (with module boundaries), type check, unit tests, build, integration tests, end-to-end tests, and
// then the Kafka-facing tests once more on the development broker.
// Kafka: the cluster named by TEST_KAFKA_BROKERS; when unset and Java 17+ is here, an Apache Kafka this script
// fetches and starts (tools/apache-kafka); without Java, the development broker alone, and it says so.
// TEST_KAFKA=dev skips Apache Kafka on purpose.
// Ends with one line `tests: N passed, N failed, N skipped` summing the jest runs.
// Extra arguments go to every jest run (e.g. `npm test -- --testPathPatterns kafka`).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

function step(name, command, args, runEnv = env) {
  const started = Date.now();
  console.log(`\n=== ${name}`);
  const result = spawnSync(command, args, { cwd: root, env: runEnv, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`=== ${name} failed after ${seconds}s`);
    return false;
  }
  console.log(`=== ${name} passed in ${seconds}s`);
  return true;
}

function jest(project, workers, { label = `${project} tests`, files = [], runEnv = env } = {}) {
  const outputFile = path.join(outDir, `${label.replace(/\W+/g, '-')}.json`);
  // Extra arguments and paths first: --selectProjects takes every following word as a project name.
  const ok = step(
    label,
    bin('jest'),
    [
      ...extra,
      ...files,
      '--selectProjects',
      project,
      `--maxWorkers=${workers}`,
      '--json',
      `--outputFile=${outputFile}`,
      // A full run that finds no tests is broken (a bad match pattern, a wrong root), not green; with filters given,
      // a project the filter leaves empty is fine.
      ...(extra.length > 0 ? ['--passWithNoTests'] : []),
    ],
    runEnv,
  );
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

/**
 * Test files that ask for the test Kafka (startTestKafka or the e2e stack): those run on both brokers, except the
 * ones marked `@broker-independent`.
 */
function kafkaFacingTests() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (['node_modules', 'dist', 'tmp', '.cache', '.nx', '.git'].includes(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(int|e2e)-spec\.ts$/.test(entry.name)) {
        const source = readFileSync(full, 'utf8');
        // A file that runs the stack only for what HTTP answers says so with `@broker-independent` (and why).
        if (/\b(startTestKafka|startE2eStack)\(/.test(source) && !source.includes('@broker-independent')) {
          found.push(full);
        }
      }
    }
  };
  for (const top of ['apps', 'libs', 'tools', 'e2e']) walk(path.join(root, top));
  return found.map((file) => path.relative(root, file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

function javaRuns() {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  return spawnSync(java, ['-version'], { stdio: 'ignore' }).status === 0;
}

/** Starts tools/apache-kafka in a child process; resolves its bootstrap once it listens, or rejects saying why. */
function startApacheKafka() {
  return new Promise((resolve, reject) => {
    console.log('\n=== Apache Kafka (tools/apache-kafka; the first run fetches it with Maven)');
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'tools/apache-kafka/src/cli.ts', '--port', '0'],
      { cwd: root, env: { ...env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let said = '';
    const listening = (chunk) => {
      said += chunk;
      const match = /Apache Kafka (\S+) listening on (\S+)/.exec(said);
      if (match) {
        console.log(`=== Apache Kafka ${match[1]} on ${match[2]}`);
        resolve({ bootstrap: match[2], stop: () => stopChild(child) });
      }
    };
    child.stdout.on('data', listening);
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      said += chunk;
    });
    child.once('exit', (code) =>
      reject(
        new Error(
          `Apache Kafka did not start (exit ${code}): ${said.trim().split('\n').slice(-20).join('\n')}`,
        ),
      ),
    );
  });
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
  });
}

let kafka = null;
let kafkaNote;
if (process.env.TEST_KAFKA_BROKERS) {
  kafkaNote = `Kafka: the cluster at TEST_KAFKA_BROKERS=${process.env.TEST_KAFKA_BROKERS}, then the dev broker.`;
} else if (process.env.TEST_KAFKA === 'dev') {
  kafkaNote = 'Kafka: the development broker only (TEST_KAFKA=dev): Apache Kafka was not tested.';
} else if (!javaRuns()) {
  kafkaNote =
    'Kafka: no Java 17+ here, so the development broker only: Apache Kafka was not tested ' +
    '(install a JDK and Maven, or set TEST_KAFKA_BROKERS, to test it).';
  if (process.env.CI) {
    console.error(`${kafkaNote}\nCI must test Apache Kafka: install Java, or set TEST_KAFKA=dev on purpose.`);
    process.exit(1);
  }
} else {
  try {
    kafka = await startApacheKafka();
  } catch (error) {
    console.error(`\n${error.message}`);
    console.log('\ntests: 0 passed, 1 failed, 0 skipped');
    process.exit(1);
  }
  env.TEST_KAFKA_BROKERS = kafka.bootstrap;
  kafkaNote = `Kafka: Apache Kafka on ${kafka.bootstrap}, then the dev broker.`;
}
console.log(kafkaNote);

const devBrokerEnv = { ...env };
delete devBrokerEnv.TEST_KAFKA_BROKERS;
const onBoth = env.TEST_KAFKA_BROKERS ? kafkaFacingTests() : [];

const steps = [
  () => step('format', bin('prettier'), ['--check', '--log-level', 'warn', '.']),
  () => step('lint', bin('nx'), ['run-many', '-t', 'lint', '--outputStyle=static']),
  () => step('type check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']),
  () => jest('unit', 2),
  () => step('build', process.execPath, ['tools/build/build.mjs']),
  () => jest('integration', 2),
  () => jest('e2e', 1),
  // The same Kafka-facing tests once more, each on a dev broker of its own: the embedded default must pass them too.
  ...['integration', 'e2e'].flatMap((project) => {
    const files = onBoth.filter((file) => file.includes(project === 'e2e' ? 'e2e-spec' : 'int-spec'));
    if (files.length === 0) return [];
    const label = `Kafka-facing ${project} tests on the dev broker`;
    return [() => jest(project, project === 'e2e' ? 1 : 2, { label, files, runEnv: devBrokerEnv })];
  }),
];

let ok = true;
for (const run of steps) {
  if (!run()) {
    ok = false;
    break;
  }
}
rmSync(outDir, { recursive: true, force: true });
await kafka?.stop();
console.log(`\n${kafkaNote}`);
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok ? 0 : 1);
