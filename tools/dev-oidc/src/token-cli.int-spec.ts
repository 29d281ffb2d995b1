import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { startDevOidcProvider, type DevOidcProvider } from './dev-oidc-provider';
import { EXIT_REFUSED, runTokenCli } from './token-cli';

const ROOT = path.resolve(__dirname, '../../..');
let provider: DevOidcProvider;
/** A loopback issuer with a discovery document but no dev marker: a real provider run locally. */
let foreign: Server;
let foreignIssuer: string;

beforeAll(async () => {
  provider = await startDevOidcProvider({ port: 0, output: () => undefined });
  foreign = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        issuer: foreignIssuer,
        authorization_endpoint: `${foreignIssuer}/auth`,
        token_endpoint: `${foreignIssuer}/token`,
        jwks_uri: `${foreignIssuer}/jwks`,
      }),
    );
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignIssuer = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await provider.stop();
  await new Promise((resolve) => foreign.close(resolve));
});

describe('npm run token', () => {
  it('prints an access token for the user', async () => {
    const result = await runTokenCli(['--user', 'customer2', '--issuer', provider.issuer], {});
    expect(result.code).toBe(0);
    expect(decodeJwt(String(result.stdout))).toMatchObject({ sub: 'customer2', roles: ['customer'] });
  });

  it('accepts AUTH_ISSUER when it names the development provider', async () => {
    const env = { AUTH_ISSUER: `${provider.issuer}/` };
    expect(await runTokenCli(['--user', 'admin1', '--issuer', provider.issuer], env)).toMatchObject({
      code: 0,
    });
  });

  it('refuses when AUTH_ISSUER names another issuer', async () => {
    const result = await runTokenCli(['--user', 'admin1', '--issuer', provider.issuer], {
      AUTH_ISSUER: 'https://login.example.com',
    });
    expect(result.code).toBe(EXIT_REFUSED);
    expect(result.stdout).toBeUndefined();
    expect(result.stderr).toContain('AUTH_ISSUER is https://login.example.com');
  });

  it('refuses an issuer that is not on this machine, and one that is not the development provider', async () => {
    const remote = await runTokenCli(['--user', 'admin1', '--issuer', 'https://login.example.com'], {});
    expect(remote).toMatchObject({ code: EXIT_REFUSED });
    expect(remote.stderr).toContain('not on this machine');
    const real = await runTokenCli(['--user', 'admin1', '--issuer', foreignIssuer], {});
    expect(real).toMatchObject({ code: EXIT_REFUSED });
    expect(real.stderr).toContain('lacks "tandem_dev_provider"');
  });

  it('fails with a clear message on a wrong password, a missing user and no running stack', async () => {
    const wrong = await runTokenCli(
      ['--user', 'staff1', '--password', 'nope', '--issuer', provider.issuer],
      {},
    );
    expect(wrong).toMatchObject({ code: 1 });
    expect(wrong.stderr).toContain('unknown user or wrong password');
    expect(await runTokenCli([], {})).toMatchObject({
      code: EXIT_REFUSED,
      stderr: expect.stringContaining('usage'),
    });
    const down = await runTokenCli(['--user', 'staff1', '--issuer', 'http://127.0.0.1:1'], {});
    expect(down).toMatchObject({ code: 1, stderr: expect.stringContaining('npm start') });
  });

  it('runs as the npm script: the token alone on stdout, exit 2 on a foreign AUTH_ISSUER', async () => {
    const run = promisify(execFile);
    const script = ['-r', '@swc-node/register', 'tools/dev-oidc/src/token-cli.ts', '--user', 'staff1'];
    const ok = await run(process.execPath, [...script, '--issuer', provider.issuer], { cwd: ROOT });
    expect(decodeJwt(ok.stdout.trim())).toMatchObject({ sub: 'staff1', roles: ['staff'] });
    expect(ok.stdout.trim().split('\n')).toHaveLength(1);
    const refused = await run(process.execPath, script, {
      cwd: ROOT,
      env: { ...process.env, AUTH_ISSUER: 'https://login.example.com' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: EXIT_REFUSED, stderr: expect.stringContaining('refusing') });
  });
});
