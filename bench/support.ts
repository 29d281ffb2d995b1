// What the benchmarks share: their command line, percentiles, CPU accounting and the broker process.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startApacheKafka } from '@tandem/apache-kafka';

/** `--flag N` from the benchmark's arguments, a positive whole number, or `fallback` when absent. */
export function option(args: string[], flag: string, fallback: number): number {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} needs a positive whole number`);
  return value;
}

/** The p-th percentile (nearest rank) of `values`; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const ROOT = path.resolve(__dirname, '..');

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process in seconds, from /proc/PID/stat (fields 14 and 15); 0 if it is gone. */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Busy and total CPU seconds of the whole machine since boot, from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
}

/**
 * The dev Kafka broker in a process of its own, so that its CPU is measured apart from the client's. Its log (group
 * joins and the like) would interleave with the table: it is kept, and printed if the broker dies.
 */
export async function startBrokerProcess(
  args: string[] = [],
): Promise<{ child: ChildProcess; bootstrap: string; log: () => string }> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'tools/kafka-dev-broker/src/cli.ts', '--port', '0', ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM')
      process.stderr.write(`broker exited with ${code ?? signal}:\n${log}`);
  });
  const bootstrap = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`broker exited with ${code} before listening:\n${log}`)));
  });
  return { child, bootstrap, log: () => log };
}

export type KafkaKind = 'dev' | 'apache';

/** `--flag one|other` from the benchmark's arguments: one of `choices`, or `fallback` when absent. */
export function choiceOption<T extends string>(
  args: string[],
  flag: string,
  choices: readonly T[],
  fallback: T,
): T {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const value = args[i + 1];
  const chosen = choices.find((choice) => choice === value);
  if (chosen === undefined)
    throw new Error(`${flag} needs ${choices.join(' or ')}, got ${value ?? 'nothing'}`);
  return chosen;
}

/** `--kafka apache|dev` from the benchmark's arguments; default dev (the embedded default). */
export function kafkaOption(args: string[]): KafkaKind {
  return choiceOption(args, '--kafka', ['apache', 'dev'] as const, 'dev');
}

/** The broker a benchmark runs against, in a process of its own whose CPU is read from /proc. */
export interface BenchBroker {
  kind: KafkaKind;
  /** "Apache Kafka 4.4.0" or "kafka-dev-broker". */
  name: string;
  bootstrap: string;
  /** The broker process's CPU seconds so far (the JVM for Apache Kafka). */
  cpuSeconds(): number;
  /** What the broker logged, for a failure report. */
  log(): string;
  stop(): Promise<void>;
}

export async function startBenchBroker(kind: KafkaKind, devArgs: string[] = []): Promise<BenchBroker> {
  if (kind === 'apache') {
    const kafka = await startApacheKafka({ log: (line) => process.stderr.write(`apache-kafka: ${line}\n`) });
    return {
      kind,
      name: `Apache Kafka ${kafka.version}`,
      bootstrap: kafka.bootstrap,
      cpuSeconds: () => processCpuSeconds(kafka.pid),
      log: () => `Apache Kafka's log: ${kafka.logFile}`,
      stop: () => kafka.stop(),
    };
  }
  const { child, bootstrap, log } = await startBrokerProcess(devArgs);
  return {
    kind,
    name: 'kafka-dev-broker',
    bootstrap,
    cpuSeconds: () => processCpuSeconds(child.pid),
    log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The gateway's rate limits (docs/services.md), raised out of a benchmark's reach: every request is still counted
 * (the limiter's cost is in the figures), but one driver's load from one address never meets a limit.
 */
export const BENCH_RATE_LIMITS: Record<string, string> = Object.fromEntries(
  ['IP', 'PRINCIPAL'].flatMap((scope) =>
    ['COMMANDS', 'READS', 'ADMIN'].map((routeClass) => [`RATE_LIMIT_${scope}_${routeClass}`, '10000000']),
  ),
);

/** Waits until `url`'s `/health/<probe>` answers 200 (a service the benchmark started), at most 60 s. */
export async function waitHealthy(url: string, probe: 'ready' | 'live' = 'ready'): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health/${probe}`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not become ${probe}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
