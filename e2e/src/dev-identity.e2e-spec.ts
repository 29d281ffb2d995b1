import { decodeJwt, decodeProtectedHeader } from 'jose';
import { accessTokenFor, DEMO_USERS, verifierFromDiscovery } from '@tandem/dev-oidc';
import { call, startE2eStack, type E2eStack } from './support';

let e2e: E2eStack;

beforeAll(async () => {
  e2e = await startE2eStack('dev_identity');
});
afterAll(() => e2e.stop());

const bearerOf = (headers: { authorization: string }) => headers.authorization.replace(/^Bearer /, '');

describe('the dev stack and its OpenID Provider', () => {
  it('starts the provider and gives its issuer, audience and JWKS to the services', () => {
    expect(e2e.stack.issuerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(e2e.stack.auth).toEqual({
      issuer: e2e.stack.issuerUrl,
      audience: 'tandem-api',
      jwksUrl: `${e2e.stack.issuerUrl}/jwks`,
    });
  });

  it('gets each demo user a token through the real endpoints, once per user', async () => {
    const verifier = await verifierFromDiscovery(e2e.stack.issuerUrl);
    for (const user of DEMO_USERS) {
      const headers = await e2e.authAs(user.username);
      expect(await e2e.authAs(user.username)).toEqual(headers);
      await expect(verifier.verify(bearerOf(headers))).resolves.toMatchObject({
        subject: user.username,
        roles: [...user.roles],
      });
    }
  });

  it('rotates the signing key: new tokens carry the new kid, and the gateway serves both', async () => {
    const report = `${e2e.api}/reports/daily-sales?from=2026-01-01&to=2026-01-02`;
    const before = await e2e.authAs('staff1');
    expect((await call('GET', report, { headers: before })).status).toBe(200);
    const kid = await e2e.stack.rotateKeys();
    // A fresh token (the cache still holds the one from before the rotation, which stays valid).
    const fresh = await accessTokenFor(e2e.stack.issuerUrl, 'staff1');
    expect(decodeProtectedHeader(fresh).kid).toBe(kid);
    expect(decodeJwt(fresh).sub).toBe('staff1');
    expect((await call('GET', report, { headers: { authorization: `Bearer ${fresh}` } })).status).toBe(200);
    expect((await call('GET', report, { headers: before })).status).toBe(200);
  });

  it('rotates the key while requests flow through the gateway and every service: no valid request is refused', async () => {
    const order = `${e2e.api}/orders?limit=1`;
    const statuses: number[] = [];
    const kids = new Set<string>();
    let rotating = true;
    // Two clients: one on the token it got before, one signing in again and again (each new token is used at once).
    const old = await accessTokenFor(e2e.stack.issuerUrl, 'customer2');
    const flow = async (fresh: boolean) => {
      while (rotating) {
        const token = fresh ? await accessTokenFor(e2e.stack.issuerUrl, 'customer2') : old;
        kids.add(String(decodeProtectedHeader(token).kid));
        statuses.push((await call('GET', order, { headers: { authorization: `Bearer ${token}` } })).status);
      }
    };
    const flows = [flow(false), flow(true), flow(true)];
    await e2e.stack.rotateKeys();
    await e2e.stack.rotateKeys();
    await new Promise((resolve) => setTimeout(resolve, 500));
    rotating = false;
    await Promise.all(flows);
    expect(kids.size).toBeGreaterThanOrEqual(3);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  }, 60_000);
});
