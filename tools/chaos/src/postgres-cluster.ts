import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A PostgreSQL cluster of the fault test's own (initdb and pg_ctl in a temporary dir, on a port of its own), so that
 * restarting "the write DB" leaves the machine's shared server alone. initdb refuses to run as root: as root, the
 * cluster is made and run as the `postgres` user (`runuser -u postgres --`), in a dir that user owns.
 */
export interface PostgresCluster {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:PORT/<database> */
  url(database: string): string;
  /** Stops the server at once, as a crash does (`pg_ctl stop -m immediate`: no checkpoint, recovery at start). */
  crash(): void;
  start(): void;
  /** Stops it (fast) and removes its files. */
  destroy(): void;
  /** The server's log, for a failure report. */
  logTail(): string;
}

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];

function binDir(): string {
  const found = BIN_DIRS.find((dir) => existsSync(path.join(dir, 'initdb')));
  if (!found)
    throw new Error(`no initdb found in ${BIN_DIRS.join(', ')}: install PostgreSQL's server binaries`);
  return found;
}

export function startPostgresCluster(port: number): PostgresCluster {
  const bin = binDir();
  const root = mkdtempSync(path.join(tmpdir(), 'tandem-chaos-pg-'));
  const data = path.join(root, 'data');
  const log = path.join(root, 'postgres.log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(root, uid, gid);
  }
  const run = (tool: string, args: string[]): void => {
    const [command, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]]
      : [path.join(bin, tool), args];
    const result = spawnSync(command, argv, { encoding: 'utf8', timeout: 120_000 });
    if (result.status !== 0) {
      throw new Error(`${tool} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}${tail(log)}`);
    }
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = [
    `-p ${port}`,
    `-k ${root}`,
    '-c listen_addresses=127.0.0.1',
    '-c max_connections=200',
    // The test's writes should not wait on the shared disk more than the production default makes them.
    '-c shared_buffers=128MB',
  ].join(' ');
  const start = () => run('pg_ctl', ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
  start();
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    crash: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    start,
    destroy: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } catch {
        // not running
      }
      rmSync(root, { recursive: true, force: true });
    },
    logTail: () => tail(log),
  };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
