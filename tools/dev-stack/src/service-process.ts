import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServiceProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has ended (null when a signal ended it). */
  exited: Promise<number | null>;
  /**
   * SIGTERM, then SIGKILL if it has not exited within `graceMs` (default 30 s, Kubernetes' grace period); resolves
   * once it has exited (`exited` says how).
   */
  stop(graceMs?: number): Promise<void>;
}

const COLORS = [36, 35, 33, 32, 34, 31];
let nextColor = 0;

/** Prints a service's JSON log lines as `[name] hh:mm:ss level message`, and anything else as it came. */
function prettyLine(prefix: string, line: string): string {
  try {
    const record = JSON.parse(line) as {
      time?: string;
      level?: string;
      msg?: string;
      err?: { message?: string };
    };
    if (typeof record.msg === 'string') {
      const time = typeof record.time === 'string' ? record.time.slice(11, 19) : '';
      const error = record.err?.message ? ` (${record.err.message})` : '';
      return `${prefix} ${time} ${(record.level ?? '').padEnd(5)} ${record.msg}${error}`;
    }
  } catch {
    // not JSON: print as it is
  }
  return `${prefix} ${line}`;
}

export function spawnService(options: {
  name: string;
  script: string;
  args?: string[];
  env: Record<string, string>;
  url: string;
  output?: (line: string) => void;
  pretty?: boolean;
}): ServiceProcess {
  const color = COLORS[nextColor++ % COLORS.length];
  const prefix = `\x1b[${color}m[${options.name}]\x1b[0m`;
  const output = options.output ?? ((line: string) => process.stdout.write(`${line}\n`));
  // BENCH_CPU_PROFILE_DIR=<dir>: each service writes a V8 CPU profile there when it exits (`--cpu-prof`), for the
  // benchmarks' breakdown of where the CPU goes.
  const profileDir = process.env['BENCH_CPU_PROFILE_DIR'];
  const profile = profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${options.name}.cpuprofile`]
    : [];
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', ...profile, options.script, ...(options.args ?? [])],
    {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) =>
      output(options.pretty === false ? `[${options.name}] ${line}` : prettyLine(prefix, line)),
    );
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name: options.name,
    url: options.url,
    child,
    exited,
    stop: async (graceMs = 30_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        output(`[dev-stack] ${options.name} did not stop within ${graceMs} ms of SIGTERM: killing it`);
        child.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a process to completion (a migration, a build) and fails if it exits non-zero. */
export async function runToCompletion(
  name: string,
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<void> {
  const service = spawnService({ name, script, args, env, url: '' });
  const code = await service.exited;
  if (code !== 0) throw new Error(`${name} exited with code ${code}`);
}
