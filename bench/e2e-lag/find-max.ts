// `npm run bench -- e2e-lag --find-max`: the highest steady rate the whole system holds, found by running the
// e2e-lag benchmark (each run a fresh stack, in a child process) at one rate after another: doubling from
// --from until a rate fails, then halving the gap between the best held and the first failed until it is within
// --resolution (in per cent of the rate held). A rate is held when, over its measured window:
//   - answer → visible p99 stays under 100 ms (the read side keeps up),
//   - command answers do not queue: their p99 stays under --answer-p99-ms (100 ms by default), the driver sent at
//     least 97% of the schedule, and nothing failed,
//   - every measured command became visible.
// Prints each step and a closing RESULT line; the other e2e-lag options (--kafka, --seconds, --warmup, --tracing)
// are passed to every run.
// Usage: BENCH_POSTGRES_URL=postgres://... npm run bench -- e2e-lag --find-max [--from 50] [--max 3200]
//        [--resolution 10] [--answer-p99-ms 100] [--seconds 15] [--warmup 5] [--kafka apache|dev]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { option } from '../support';

const ROOT = path.resolve(__dirname, '../..');
const LAG_P99_MS = 100;
const SCHEDULE_SHARE = 0.97;

interface LagResult {
  rate: number;
  achievedRate: number;
  failed: number;
  unseen: number;
  lagMs: { p50: number; p99: number };
  commandMs: { p50: number; p99: number };
  cpuCores: Record<string, number>;
}

interface Step {
  rate: number;
  held: boolean;
  why: string;
  result: LagResult | null;
}

/** The arguments passed on to each run: every e2e-lag option but this mode's own. */
function passedOn(args: string[]): string[] {
  const own = new Set(['--find-max', '--from', '--max', '--resolution', '--answer-p99-ms', '--rate']);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (own.has(arg)) {
      if (arg !== '--find-max') i++;
      continue;
    }
    out.push(arg);
  }
  if (!out.includes('--seconds')) out.push('--seconds', '15');
  return out;
}

/** One e2e-lag run at `rate`, in a child process; its RESULT line, or null (with its output's tail) if it broke. */
function runAt(rate: number, args: string[]): Promise<{ result: LagResult | null; tail: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'bench/run.ts', 'e2e-lag', '--rate', String(rate), ...args],
      { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', () => {
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      const tail = output.trim().split('\n').slice(-15).join('\n');
      resolve({ result: line ? (JSON.parse(line.slice('RESULT '.length)) as LagResult) : null, tail });
    });
  });
}

function judge(result: LagResult | null, answerP99Ms: number): { held: boolean; why: string } {
  if (result === null) return { held: false, why: 'the run broke' };
  const problems: string[] = [];
  if (result.lagMs.p99 >= LAG_P99_MS) problems.push(`answer → visible p99 ${result.lagMs.p99} ms`);
  if (result.commandMs.p99 >= answerP99Ms) problems.push(`answer p99 ${result.commandMs.p99} ms (queueing)`);
  if (result.achievedRate < result.rate * SCHEDULE_SHARE)
    problems.push(`sent ${result.achievedRate}/s of ${result.rate}/s`);
  if (result.failed > 0) problems.push(`${result.failed} failed`);
  if (result.unseen > 0) problems.push(`${result.unseen} never visible`);
  return problems.length === 0
    ? { held: true, why: `lag p99 ${result.lagMs.p99} ms, answer p99 ${result.commandMs.p99} ms` }
    : { held: false, why: problems.join(', ') };
}

/** CPU per command (ms) summed over the services, the broker and PostgreSQL (not the benchmark's own). */
const cpuPerCommandMs = (result: LagResult): number => {
  const cores = Object.entries(result.cpuCores)
    .filter(([name]) => !name.startsWith('machine') && !name.startsWith('benchmark'))
    .reduce((sum, [, value]) => sum + value, 0);
  return Math.round((cores / result.achievedRate) * 1000 * 100) / 100;
};

export async function findMax(args: string[]): Promise<void> {
  const from = option(args, '--from', 50);
  const max = option(args, '--max', 3200);
  const resolution = option(args, '--resolution', 10);
  const answerP99Ms = option(args, '--answer-p99-ms', 100);
  const runArgs = passedOn(args);
  const steps: Step[] = [];
  const tryRate = async (rate: number): Promise<boolean> => {
    const { result, tail } = await runAt(rate, runArgs);
    const verdict = judge(result, answerP99Ms);
    steps.push({ rate, ...verdict, result });
    console.log(`${String(rate).padStart(6)}/s: ${verdict.held ? 'held' : 'NOT held'} (${verdict.why})`);
    if (result === null) console.log(tail);
    return verdict.held;
  };

  console.log(
    `e2e-lag --find-max: from ${from}/s, doubling, then bisecting to ${resolution}%; runs: ${runArgs.join(' ')}`,
  );
  let held = 0;
  let failed = 0;
  for (let rate = from; rate <= max; rate *= 2) {
    if (await tryRate(rate)) held = rate;
    else {
      failed = rate;
      break;
    }
  }
  if (held === 0) console.log(`not even ${from}/s was held: lower --from`);
  while (held > 0 && failed > 0 && (failed - held) / held > resolution / 100) {
    const rate = Math.round((held + failed) / 2);
    if (await tryRate(rate)) held = rate;
    else failed = rate;
  }
  const best = steps.find((step) => step.rate === held && step.held)?.result ?? null;
  console.log(
    `\nhighest rate held: ${held}/s` +
      (failed > 0 ? ` (${failed}/s was not)` : ` (the --max of ${max}/s was reached)`) +
      (best
        ? `; there, CPU per command ${cpuPerCommandMs(best)} ms summed over the services, broker and PostgreSQL`
        : ''),
  );
  console.log(
    `RESULT ${JSON.stringify({
      maxRate: held,
      firstFailedRate: failed || null,
      criteria: { lagP99Ms: LAG_P99_MS, answerP99Ms, scheduleShare: SCHEDULE_SHARE },
      cpuPerCommandMsAtMax: best ? cpuPerCommandMs(best) : null,
      steps: steps.map(({ rate, held: ok, why, result }) => ({
        rate,
        held: ok,
        why,
        lagP99Ms: result?.lagMs.p99 ?? null,
        answerP99Ms: result?.commandMs.p99 ?? null,
        achievedRate: result?.achievedRate ?? null,
      })),
    })}`,
  );
}
