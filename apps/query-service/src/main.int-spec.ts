import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { PLACEHOLDER_AUTH_ENV } from '@tandem/platform/auth/testing';

/**
 * The built query service as it is deployed (`node dist/apps/query-service/main.js`): outside development
 * (`NODE_ENV=production`) it refuses to start with the public development CURSOR_SECRET, exit code 78, naming it.
 */
const ROOT = path.resolve(__dirname, '../../..');
const MAIN = path.join(ROOT, 'dist/apps/query-service/main.js');

function run(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const inherited = { ...process.env };
    for (const name of ['CURSOR_SECRET', 'NODE_ENV', 'PORT', 'METRICS_PORT']) delete inherited[name];
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...inherited,
        READ_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        ...PLACEHOLDER_AUTH_ENV,
        CONSISTENCY_TOKEN_SECRET: 'y'.repeat(32),
        ...env,
      },
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
  execFileSync(process.execPath, [path.join(ROOT, 'tools/build/build.mjs'), 'query-service'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}, 60_000);

it.each([
  ['unset', {}],
  ['set to the development default', { CURSOR_SECRET: 'tandem-development-cursor-secret' }],
])('exits 78 naming CURSOR_SECRET when it is %s with NODE_ENV=production', async (_, env) => {
  const { code, stderr } = await run({ NODE_ENV: 'production', ...env });
  expect(code).toBe(78);
  expect(stderr).toMatch(/CURSOR_SECRET: holds the public development default/);
});

it('gets past its configuration with a secret of its own (then fails on the unreachable database)', async () => {
  const { code, stderr } = await run({ NODE_ENV: 'production', CURSOR_SECRET: 'x'.repeat(32) });
  expect(code).toBe(1);
  expect(stderr).not.toMatch(/invalid configuration/);
});
