import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessTokenFor } from '@tandem/dev-oidc';
import {
  createTestDatabase,
  startTestKafka,
  type TestDatabase,
  type TestKafka,
} from '@tandem/platform/testing';
import { call, ROOT, type JsonResponse } from './support';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process below `pid` (npm's shell, the dev stack, the services). */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((child) => child > 0);
  } catch {
    // ps exits 1 when there are none
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/**
 * `npm start` as a developer (or a process manager) runs it: SIGTERM to npm reaches the dev stack, which stops every
 * service (SIGTERM each, waiting for it) and exits only once they all have; requests in flight get their answers.
 * Before, npm's shell died of the signal and left the dev stack and the four services running.
 */
describe('npm start forwards SIGTERM to its services and waits for them', () => {
  let writeDb: TestDatabase;
  let readDb: TestDatabase;
  let kafka: TestKafka;
  let npm: ChildProcess | undefined;
  let pids: number[] = [];

  beforeAll(async () => {
    writeDb = await createTestDatabase('npm_start_write');
    readDb = await createTestDatabase('npm_start_read');
    kafka = await startTestKafka('npm_start');
  }, 60_000);

  afterAll(async () => {
    // Whatever the outcome, nothing of this test may outlive it.
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    if (npm?.pid && alive(npm.pid)) npm.kill('SIGKILL');
    await kafka?.stop();
    await writeDb?.drop();
    await readDb?.drop();
  }, 60_000);

  it('stops all four services cleanly, then exits 0', async () => {
    let output = '';
    npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...kafka.serviceEnv,
        WRITE_DATABASE_URL: writeDb.url,
        READ_DATABASE_URL: readDb.url,
        // Free ports for everything (the management ports follow), the development OpenID Provider included.
        GATEWAY_PORT: '0',
        DEV_OIDC_PORT: '0',
        COMMAND_SERVICE_PORT: '0',
        QUERY_SERVICE_PORT: '0',
        PROJECTION_SERVICE_PORT: '0',
        TOPIC_PARTITIONS: '3',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const npmExited = new Promise<number | null>((resolve) => npm?.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 120_000;
    while (!output.includes('Tandem is up')) {
      if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    pids = descendants(npm.pid ?? 0);
    const services = pids.filter((pid) =>
      /dist\/apps\//.test(execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' })),
    );
    expect(services).toHaveLength(4);

    // Where it says it is: the gateway's API and the issuer of its development OpenID Provider.
    const api = /Gateway:\s+(\S+)/.exec(output)?.[1];
    const issuer = /Issuer:\s+(\S+)/.exec(output)?.[1];
    if (!api || !issuer)
      throw new Error(`npm start did not say where its gateway and issuer are:\n${output}`);
    const authorization = `Bearer ${await accessTokenFor(issuer, 'staff1')}`;
    /** Every HTTP call of this test, as staff1. */
    const send = (method: string, path: string, body?: unknown): Promise<JsonResponse> =>
      call(method, `${api}${path}`, { body, headers: { authorization, 'idempotency-key': randomUUID() } });
    const registered = await send('POST', '/customers', {
      name: 'Npm Start',
      email: `npm+${randomUUID().slice(0, 8)}@example.com`,
      currency: 'EUR',
      creditLimit: 1000,
    });
    expect(registered.status).toBe(201);
    const customerId = (registered.body as { id: string }).id;
    // Requests in flight when the signal comes: each either gets its real answer or is refused (never a 5xx).
    const inFlight = Array.from({ length: 8 }, () =>
      send('POST', '/orders', { customerId }).then(
        (answer) => answer.status,
        () => 'refused',
      ),
    );
    npm.kill('SIGTERM');
    const signalledAt = Date.now();
    const code = await Promise.race([
      npmExited,
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 60_000)),
    ]);
    const statuses = await Promise.all(inFlight);
    console.log(
      `npm start: exited ${String(code)} ${Date.now() - signalledAt} ms after SIGTERM; ${statuses}`,
    );
    expect(pids.filter(alive)).toEqual([]);
    expect(code).toBe(0);
    for (const name of ['gateway', 'command-service', 'projection-service', 'query-service']) {
      expect(output).toContain(`[dev-stack] ${name} exited with code 0`);
    }
    expect(statuses.filter((s) => typeof s === 'number' && s >= 500)).toEqual([]);
  }, 200_000);
});
