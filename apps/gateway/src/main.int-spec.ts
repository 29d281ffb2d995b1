import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { StandInService } from './test/stand-in-service';
import { PLACEHOLDER_AUTH_ENV } from '@tandem/platform/auth/testing';

/**
 * The built gateway as it is deployed: `node dist/apps/gateway/main.js`. A bad environment stops it with exit
 * code 78 and a message naming the variable; a good one serves, and logs where.
 */
const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'dist/apps/gateway/main.js');
const GATEWAY_VARIABLES = [
  'PORT',
  'COMMAND_SERVICE_URL',
  'QUERY_SERVICE_URL',
  'PROJECTION_SERVICE_URL',
  'UPSTREAM_TIMEOUT_MS',
  'LOG_LEVEL',
];

function environment(variables: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of GATEWAY_VARIABLES) delete env[name];
  return { ...env, ...variables };
}

function run(variables: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      env: environment(variables),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

beforeAll(() => {
  execFileSync(process.execPath, [path.join(ROOT, 'tools/build/build.mjs'), 'gateway'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}, 60_000);

describe('node dist/apps/gateway/main.js', () => {
  const upstreams = {
    QUERY_SERVICE_URL: 'http://127.0.0.1:3002',
    PROJECTION_SERVICE_URL: 'http://127.0.0.1:3003',
  };

  it('exits 78 naming COMMAND_SERVICE_URL when it is missing', async () => {
    const { code, stderr } = await run(upstreams);
    expect(code).toBe(78);
    expect(stderr).toMatch(/COMMAND_SERVICE_URL: is required/);
  });

  it('exits 78 naming COMMAND_SERVICE_URL when it is malformed', async () => {
    const { code, stderr } = await run({ ...upstreams, COMMAND_SERVICE_URL: 'not a url' });
    expect(code).toBe(78);
    expect(stderr).toMatch(/COMMAND_SERVICE_URL: is not a URL/);
  });

  it('starts, logs its URL and is ready when its upstreams are alive', async () => {
    const services = await Promise.all(
      ['command', 'query', 'projection'].map((name) => StandInService.start(name)),
    );
    const child = spawn(process.execPath, [MAIN], {
      env: environment({
        PORT: '0',
        COMMAND_SERVICE_URL: services[0]!.url,
        QUERY_SERVICE_URL: services[1]!.url,
        PROJECTION_SERVICE_URL: services[2]!.url,
        ...PLACEHOLDER_AUTH_ENV,
      }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the gateway did not log its URL')), 20_000);
        createInterface({ input: child.stdout }).on('line', (line) => {
          const record = JSON.parse(line) as { url?: string };
          if (record.url) {
            clearTimeout(timer);
            resolve(record.url);
          }
        });
        child.on('exit', (code) => reject(new Error(`the gateway exited with ${code}`)));
      });
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(200);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await Promise.all(services.map((service) => service.stop()));
    }
  });
});
