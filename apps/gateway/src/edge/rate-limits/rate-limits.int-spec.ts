import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { rolesOf } from '@tandem/contracts';
import { AccessTokenVerifier, AuthModule, verifierOptionsOf, AuthConfigSchema } from '@tandem/platform/auth';
import { TestIssuer } from '@tandem/platform/auth/testing';
import { createHttpApp, RouteAccess } from '@tandem/platform/http';
import { createLogger, metricsRegistry } from '@tandem/platform/observability';
import { closedPortUrl, StandInService } from '../../test/stand-in-service';
import { startGateway, type GatewayUnderTest } from '../../test/gateway-under-test';
import { parseGatewayConfig } from '../../config';
import { useIpRateLimit } from './ip-rate-limit.middleware';
import { PrincipalRateLimitInterceptor } from './principal-rate-limit.interceptor';
import { RateLimits } from './rate-limits';

/**
 * The gateway's rate limits on real HTTP: a flood answered 429 with `Retry-After` and the RateLimit headers, and,
 * with the Redis on this machine (REDIS_URL, default 127.0.0.1:6379), two gateway replicas counting together: the
 * limit holds for the pair, not per replica. Each test run counts under a key prefix of its own.
 */
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ORDER_ID = '0b7c6f4e-2a4f-4b8e-9d64-3f1c2a5e7d10';

let command: StandInService;
let query: StandInService;
let projection: StandInService;
const started: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  [command, query, projection] = await Promise.all(
    ['command-service', 'query-service', 'projection-service'].map((name) => StandInService.start(name)),
  );
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((app) => app.close()));
  for (const service of [command, query, projection]) service.reset();
});

afterAll(async () => {
  await Promise.all([command, query, projection].map((service) => service?.stop()));
});

async function gateway(env: Record<string, string>): Promise<GatewayUnderTest> {
  const app = await startGateway({
    COMMAND_SERVICE_URL: command.url,
    QUERY_SERVICE_URL: query.url,
    PROJECTION_SERVICE_URL: projection.url,
    ...env,
  });
  started.push(app);
  return app;
}

/** One HTTP call of these tests: the place to add an Authorization header for every request at once. */
async function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, {
    headers: { ...(await (await TestIssuer.shared()).staffHeaders()), ...headers },
  });
}

async function statuses(bases: string[], count: number, path: string, headers = {}): Promise<number[]> {
  const answers: number[] = [];
  // One after the other, alternating replicas, so the order of the counts is known.
  for (let i = 0; i < count; i++)
    answers.push((await get(bases[i % bases.length] ?? '', path, headers)).status);
  return answers;
}

describe('a flood from one IP', () => {
  it('is answered 429 rate-limit.exceeded with Retry-After and the RateLimit fields, and not forwarded', async () => {
    const { url } = await gateway({ RATE_LIMIT_IP_READS: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
    const first = await get(url, `/api/orders/${ORDER_ID}`);
    expect(first.status).toBe(200);
    // Authenticated (as staff), so the caller's own limit counts the request too.
    expect(first.headers.get('ratelimit-policy')).toBe('"ip-reads";q=3;w=60, "principal-reads";q=6000;w=60');
    expect(first.headers.get('ratelimit')).toMatch(
      /^"ip-reads";r=2;t=(60|59), "principal-reads";r=\d+;t=\d+$/,
    );
    await get(url, `/api/orders/${ORDER_ID}`);
    expect((await get(url, `/api/orders/${ORDER_ID}`)).headers.get('ratelimit')).toMatch(
      /^"ip-reads";r=0;t=\d+, "principal-reads"/,
    );
    const refused = await get(url, `/api/orders/${ORDER_ID}`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit')).toMatch(/^"ip-reads";r=0;t=\d+$/);
    expect(await refused.json()).toMatchObject({
      status: 429,
      code: 'rate-limit.exceeded',
      type: 'urn:tandem:problem:rate-limit.exceeded',
      policy: 'ip-reads',
      instance: `/api/orders/${ORDER_ID}`,
    });
    expect(query.received).toHaveLength(3);
  });

  it('counts each route class apart, and never the health probes', async () => {
    const { url } = await gateway({ RATE_LIMIT_IP_READS: '1', RATE_LIMIT_IP_COMMANDS: '1' });
    expect(await statuses([url], 2, `/api/orders/${ORDER_ID}`)).toEqual([200, 429]);
    const staff = await (await TestIssuer.shared()).staffHeaders();
    const place = () =>
      fetch(`${url}/api/orders/${ORDER_ID}/place`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...staff },
      });
    expect([(await place()).status, (await place()).status]).toEqual([200, 429]);
    expect(await statuses([url], 3, '/health/live')).toEqual([200, 200, 200]);
  });
});

describe('two gateway replicas sharing Redis', () => {
  it('hold the per-IP limit for the pair, not per replica', async () => {
    const env = { REDIS_URL, RATE_LIMIT_KEY_PREFIX: `test:${randomUUID()}`, RATE_LIMIT_IP_READS: '6' };
    const [a, b] = [await gateway(env), await gateway(env)];
    const answers = await statuses([a.url, b.url], 10, `/api/orders/${ORDER_ID}`);
    expect(answers).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429, 429]);
    expect(query.received).toHaveLength(6);
  });

  it('each count alone without Redis: the same pair lets twice as many through', async () => {
    const env = { RATE_LIMIT_IP_READS: '6' };
    const [a, b] = [await gateway(env), await gateway(env)];
    const answers = await statuses([a.url, b.url], 14, `/api/orders/${ORDER_ID}`);
    expect(answers.filter((status) => status === 200)).toHaveLength(12);
  });

  it('go on serving when Redis is down, each counting in memory, and count the fallbacks', async () => {
    const failures = async () =>
      (await metricsRegistry.getSingleMetricAsString('rate_limit_store_failures_total'))
        .split('\n')
        .map((line) => /^rate_limit_store_failures_total(?:\{[^}]*\})? (\d+)/.exec(line)?.[1])
        .find((value) => value !== undefined);
    const down = (await closedPortUrl()).replace('http:', 'redis:');
    const { url } = await gateway({ REDIS_URL: down, RATE_LIMIT_IP_READS: '2' });
    const before = Number((await failures()) ?? 0);
    expect(await statuses([url], 3, `/api/orders/${ORDER_ID}`)).toEqual([200, 200, 429]);
    // Two counts (the address's, then the caller's) for each request let through, one for the refused one.
    expect(Number(await failures())).toBe(before + 5);
  });
});

describe('the per-principal limit, after authentication', () => {
  @Controller('api/things')
  class ThingsController {
    @Get()
    @RouteAccess(rolesOf('customer'))
    list(): { items: [] } {
      return { items: [] };
    }
  }

  let issuer: TestIssuer;
  beforeAll(async () => (issuer = await TestIssuer.start()));
  afterAll(() => issuer.stop());

  /** An app with the gateway's edge and interceptor and the platform's access guard, on one Redis. */
  async function replica(env: Record<string, string>): Promise<string> {
    const config = parseGatewayConfig({
      COMMAND_SERVICE_URL: command.url,
      QUERY_SERVICE_URL: query.url,
      PROJECTION_SERVICE_URL: projection.url,
      ...issuer.env,
      ...env,
    });
    const logger = createLogger('gateway', 'silent');
    const limits = await RateLimits.open(config, logger);
    const verifier = new AccessTokenVerifier(
      verifierOptionsOf(AuthConfigSchema.parse({ ...issuer.env, AUTH_ALGORITHMS: 'RS256' })),
    );
    @Module({ imports: [AuthModule.register(verifier)], controllers: [ThingsController] })
    class ReplicaModule {}
    const app: INestApplication = await createHttpApp(ReplicaModule, logger, {
      edge: (edge) => useIpRateLimit(edge, limits),
    });
    app.useGlobalInterceptors(new PrincipalRateLimitInterceptor(limits));
    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer() as Server;
    started.push({
      close: async () => {
        server.closeAllConnections();
        await app.close();
        await limits.close();
      },
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('holds per principal across the replicas, keyed by subject; other principals keep their own count', async () => {
    const env = { REDIS_URL, RATE_LIMIT_KEY_PREFIX: `test:${randomUUID()}`, RATE_LIMIT_PRINCIPAL_READS: '4' };
    const bases = [await replica(env), await replica(env)];
    const alice = { authorization: `Bearer ${await issuer.token({ subject: 'alice' })}` };
    // Another token of the same user counts against the same limit.
    const aliceAgain = { authorization: `Bearer ${await issuer.token({ subject: 'alice' })}` };
    const bob = { authorization: `Bearer ${await issuer.token({ subject: 'bob' })}` };
    expect(await statuses(bases, 3, '/api/things', alice)).toEqual([200, 200, 200]);
    expect(await statuses(bases, 3, '/api/things', aliceAgain)).toEqual([200, 429, 429]);
    const refused = await get(bases[0] ?? '', '/api/things', alice);
    expect(refused.headers.get('ratelimit-policy')).toContain('"principal-reads";q=4;w=60');
    expect(await refused.json()).toMatchObject({ code: 'rate-limit.exceeded', policy: 'principal-reads' });
    expect(await statuses(bases, 4, '/api/things', bob)).toEqual([200, 200, 200, 200]);
  });

  it('refuses a flood of bad tokens by IP before verifying them', async () => {
    const env = { REDIS_URL, RATE_LIMIT_KEY_PREFIX: `test:${randomUUID()}`, RATE_LIMIT_IP_READS: '3' };
    const bases = [await replica(env), await replica(env)];
    const forged = { authorization: 'Bearer not.a.token' };
    expect(await statuses(bases, 5, '/api/things', forged)).toEqual([401, 401, 401, 429, 429]);
  });
});
