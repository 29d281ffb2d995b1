import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eventJsonSchemas } from '@tandem/contracts';
import { renderAsyncApiYaml, ASYNCAPI_FILE } from './asyncapi/asyncapi-yaml';
import { captureExamples, EXAMPLES_FILE } from './asyncapi/capture-examples';
import { checkContracts, loadReleased, nextRevisionFile } from './compatibility/contracts-check';
import { currentSchemaFiles, staleFiles } from './compatibility/current-schemas';
import { KAFKA_TOPICS_FILE, renderKafkaTopics } from './kafka-topics';

// The contract's tools, one command each (package.json scripts):
//   check            npm run contracts:check    the compatibility gate; exits 1 with what breaks and what to do
//   release          npm run contracts:release  freezes every changed or new version under schemas/released/
//   asyncapi         npm run docs:asyncapi      writes docs/asyncapi.yaml      (--check: fails when out of date;
//                                               --capture: first runs the system and records its examples)
//   k8s-topics       npm run k8s:topics         writes the Strimzi KafkaTopics (--check: fails when out of date)
const ROOT = path.resolve(__dirname, '../../..');
const [command, ...flags] = process.argv.slice(2);
const checkOnly = flags.includes('--check');

function generated(file: string, text: string, script: string): void {
  const target = path.join(ROOT, file);
  if (!checkOnly) {
    writeFileSync(target, text);
    console.log(`${file} written`);
    return;
  }
  let existing = '';
  try {
    existing = readFileSync(target, 'utf8');
  } catch {
    // missing: out of date
  }
  if (existing !== text) {
    console.error(`${file} is out of date: run \`npm run ${script}\``);
    process.exitCode = 1;
  }
}

function check(): void {
  const problems = checkContracts(eventJsonSchemas(), loadReleased(ROOT));
  const stale = staleFiles(ROOT, currentSchemaFiles());
  for (const problem of problems) console.error(`✗ ${problem.message}`);
  if (stale.length > 0 && problems.length === 0) {
    console.error(`✗ out of date: ${stale.join(', ')}: run \`npm run contracts:release\``);
  }
  if (problems.length > 0 || stale.length > 0) {
    process.exitCode = 1;
    return;
  }
  console.log(
    `contracts:check: ${Object.keys(eventJsonSchemas()).length} event versions, all released and FULL_TRANSITIVE compatible`,
  );
}

/** Text as Prettier formats it at that path, with the repository's settings. */
async function formatted(target: string, text: string): Promise<string> {
  const prettier = await import('prettier');
  const options = await prettier.resolveConfig(target);
  return prettier.format(text, { ...options, filepath: target });
}

/** JSON as Prettier formats the repository's files (`npm run format:check` passes on what this writes). */
async function writeJson(file: string, value: unknown): Promise<void> {
  const target = path.join(ROOT, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, await formatted(target, JSON.stringify(value, null, 2)));
}

async function release(): Promise<void> {
  const current = eventJsonSchemas();
  const released = loadReleased(ROOT);
  const problems = checkContracts(current, released);
  const breaking = problems.filter((p) => p.kind === 'breaking' || p.kind === 'retired');
  if (breaking.length > 0) {
    for (const problem of breaking) console.error(`✗ ${problem.message}`);
    console.error('nothing released: a breaking change is never released in place');
    process.exitCode = 1;
    return;
  }
  for (const problem of problems) {
    const file = nextRevisionFile(problem.type, released);
    await writeJson(file, current[problem.type]);
    console.log(`released ${problem.type} as ${file}`);
  }
  for (const file of staleFiles(ROOT, currentSchemaFiles())) {
    await writeJson(file, currentSchemaFiles()[file]);
    console.log(`${file} written`);
  }
  if (problems.length === 0) console.log('nothing to release: every event version is released as it is');
}

async function main(): Promise<void> {
  switch (command) {
    case 'check':
      return check();
    case 'release':
      return release();
    case 'asyncapi':
      if (flags.includes('--capture')) {
        const examples = await captureExamples((line) => console.error(line));
        await writeJson(EXAMPLES_FILE, examples);
        console.log(`${EXAMPLES_FILE} written: ${Object.keys(examples).length} examples`);
        return generated(ASYNCAPI_FILE, await renderAsyncApiYaml(ROOT, { examples }), 'docs:asyncapi');
      }
      return generated(ASYNCAPI_FILE, await renderAsyncApiYaml(ROOT), 'docs:asyncapi');
    case 'k8s-topics':
      return generated(KAFKA_TOPICS_FILE, renderKafkaTopics(), 'k8s:topics');
    default:
      console.error('usage: cli.ts check | release | asyncapi [--check] | k8s-topics [--check]');
      process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
