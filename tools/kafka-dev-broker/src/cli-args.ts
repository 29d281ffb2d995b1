export interface CliOptions {
  port: number;
  host: string;
  dataDir?: string;
  partitions?: number;
  maxPartitionBytes?: number;
}

export const USAGE = `Usage: npm run broker -- [--port 9092] [--host 127.0.0.1] [--data-dir DIR] [--partitions N]
                         [--max-partition-bytes N]

  --port N                 TCP port to listen on (0 picks a free one). Default 9092.
  --host ADDR              Interface to listen on. Default 127.0.0.1.
  --data-dir DIR           Keep topics, records and committed offsets in DIR across restarts.
  --partitions N           Partitions of auto-created topics. Default 1.
  --max-partition-bytes N  Record bytes kept in memory per partition. With --data-dir older records are read
                           back from disk (default 67108864, 64 MiB); without, they are dropped and logged
                           (default: no limit, topics keep everything).`;

export type ParseResult =
  { ok: true; options: CliOptions } | { ok: false; help: true } | { ok: false; error: string };

function integer(flag: string, raw: string, min: number, max: number): number | string {
  if (!/^\d+$/.test(raw)) return `${flag} needs a whole number, got '${raw}'`;
  const value = Number(raw);
  if (value < min || value > max) return `${flag} must be between ${min} and ${max}, got ${value}`;
  return value;
}

/** Parses the broker's command line; errors are sentences meant for the person who typed it. */
export function parseCliArgs(argv: readonly string[]): ParseResult {
  const options: CliOptions = { port: 9092, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { ok: false, help: true };
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined;
    if (flag !== arg) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        return {
          ok: false,
          error: flag.startsWith('--') ? `${flag} needs a value` : `unexpected argument '${arg}'`,
        };
      }
      i++;
    }
    let parsed: number | string;
    switch (flag) {
      case '--port':
        parsed = integer(flag, value, 0, 65535);
        if (typeof parsed === 'string') return { ok: false, error: parsed };
        options.port = parsed;
        break;
      case '--host':
        if (value === '') return { ok: false, error: '--host needs a value' };
        options.host = value;
        break;
      case '--data-dir':
        if (value === '') return { ok: false, error: '--data-dir needs a value' };
        options.dataDir = value;
        break;
      case '--partitions':
        parsed = integer(flag, value, 1, 10_000);
        if (typeof parsed === 'string') return { ok: false, error: parsed };
        options.partitions = parsed;
        break;
      case '--max-partition-bytes':
        parsed = integer(flag, value, 1024, Number.MAX_SAFE_INTEGER);
        if (typeof parsed === 'string') return { ok: false, error: parsed };
        options.maxPartitionBytes = parsed;
        break;
      default:
        return { ok: false, error: `unknown option '${flag}'` };
    }
  }
  return { ok: true, options };
}
