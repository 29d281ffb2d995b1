import { spawnSync } from 'node:child_process';
import { builtApp } from './support';

/** A service with a bad environment must refuse to start, exit non-zero and name the variable. */
function start(app: string, env: Record<string, string>): { status: number | null; stderr: string } {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(PORT|KAFKA_BROKERS|WRITE_DATABASE_URL|READ_DATABASE_URL|.*_SERVICE_URL)$/.test(key),
    ),
  );
  const result = spawnSync(process.execPath, [builtApp(app)], {
    env: { ...inherited, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: `${result.stderr}${result.stdout}` };
}

const VALID = {
  WRITE_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/write',
  READ_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/read',
  KAFKA_BROKERS: '127.0.0.1:1',
  COMMAND_SERVICE_URL: 'http://127.0.0.1:1',
  QUERY_SERVICE_URL: 'http://127.0.0.1:1',
  PROJECTION_SERVICE_URL: 'http://127.0.0.1:1',
};

describe('configuration is validated at start', () => {
  it.each([
    ['command-service', 'WRITE_DATABASE_URL', 'mysql://nope'],
    ['command-service', 'KAFKA_BROKERS', 'no-port-here'],
    ['projection-service', 'READ_DATABASE_URL', 'not a url'],
    ['query-service', 'READ_DATABASE_URL', 'postgres://host-without-database'],
    ['gateway', 'COMMAND_SERVICE_URL', 'ftp://example'],
    ['command-service', 'PORT', '99999'],
    ['command-service', 'INLINE_PROJECTIONS', 'customer-exposure,order-summary'],
    ['query-service', 'INLINE_DATABASE_URL', 'mysql://replica/write'],
  ])('%s with a malformed %s exits non-zero and names it', (app, variable, value) => {
    const result = start(app, { ...VALID, [variable]: value });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(result.stderr).toContain(variable);
  });

  it.each([
    ['command-service', 'WRITE_DATABASE_URL'],
    ['command-service', 'KAFKA_BROKERS'],
    ['projection-service', 'READ_DATABASE_URL'],
    ['projection-service', 'KAFKA_BROKERS'],
    ['query-service', 'READ_DATABASE_URL'],
    ['gateway', 'QUERY_SERVICE_URL'],
  ])('%s without %s exits non-zero and names it', (app, variable) => {
    const env: Record<string, string> = { ...VALID };
    delete env[variable];
    const result = start(app, env);
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    expect(result.stderr).toMatch(new RegExp(`${variable}: is required`));
  });
});
