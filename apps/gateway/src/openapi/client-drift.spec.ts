import { spawnSync } from 'node:child_process';
import { ROOT } from './published-document';

/**
 * CI fails when a route changes without regenerating: docs/openapi.json and the typed client's types
 * (libs/client/src/generated/openapi.ts) must be exactly what `npm run client:generate` writes from the gateway as
 * it is now. This runs the generator's `--check` mode, as a developer would (`npm run client:generate -- --check`),
 * in a process of its own (openapi-typescript is an ES module, which this test runner does not load).
 */
describe('the committed OpenAPI document and the client generated from it', () => {
  it('are what the gateway generates now (client:generate --check)', () => {
    const check = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/gateway/src/openapi/client-cli.ts', '--check'],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  }, 60_000);
});
