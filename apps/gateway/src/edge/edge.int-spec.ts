import { StandInService } from '../test/stand-in-service';
import { startGateway, type GatewayUnderTest } from '../test/gateway-under-test';
import { CONTENT_SECURITY_POLICY } from './security-headers';

/**
 * The gateway's public edge on real HTTP: security headers on every answer, a CSP under which Swagger UI still
 * loads (every script and style it references is the gateway's own, none inline), and CORS for the allow-listed
 * origins only.
 */
const ALLOWED = 'https://shop.example.com';
const ORDER_ID = '0b7c6f4e-2a4f-4b8e-9d64-3f1c2a5e7d10';

let services: StandInService[];
let gateway: GatewayUnderTest;

beforeAll(async () => {
  services = await Promise.all(['command', 'query', 'projection'].map((name) => StandInService.start(name)));
  const [command, query, projection] = services.map((service) => service.url);
  gateway = await startGateway({
    COMMAND_SERVICE_URL: command ?? '',
    QUERY_SERVICE_URL: query ?? '',
    PROJECTION_SERVICE_URL: projection ?? '',
    CORS_ALLOWED_ORIGINS: `${ALLOWED},http://localhost:5173`,
  });
});

afterAll(async () => {
  await gateway?.close();
  await Promise.all(services.map((service) => service.stop()));
});

/** One HTTP call of these tests: the place to add an Authorization header for every request at once. */
function call(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${gateway.url}${path}`, init);
}

/** The policy's sources for a directive, as the header says them. */
function directives(header: string | null): Map<string, string[]> {
  return new Map(
    (header ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name = '', ...sources]) => [name, sources]),
  );
}

describe('security headers', () => {
  it.each([`/api/orders/${ORDER_ID}`, '/api/docs', '/api/no-such-route', '/health/live'])(
    'are on every answer (%s)',
    async (path) => {
      const answer = await call(path);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(directives(answer.headers.get('content-security-policy')).get('frame-ancestors')).toEqual([
        "'none'",
      ]);
      expect(answer.headers.get('x-powered-by')).toBeNull();
    },
  );
});

describe('Swagger UI under the Content-Security-Policy', () => {
  it('references only its own scripts and styles, allowed by the policy, and they load', async () => {
    const page = await call('/api/docs');
    expect(page.status).toBe(200);
    const policy = directives(page.headers.get('content-security-policy'));
    expect(policy.get('script-src')).toEqual([...CONTENT_SECURITY_POLICY['script-src']]);
    const html = await page.text();

    // No inline script: script-src 'self' would block it (and an attribute handler like onload too).
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', body = ''] of scripts) {
      expect(attributes).toMatch(/\bsrc="/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);

    const scriptUrls = scripts.map(([, attributes = '']) => /\bsrc="([^"]+)"/.exec(attributes)?.[1] ?? '');
    const styleUrls = [...html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"/gi)].map(
      (m) => m[1] ?? '',
    );
    expect(styleUrls.length).toBeGreaterThan(0);
    const base = new URL('/api/docs', gateway.url);
    for (const [url, type] of [
      ...scriptUrls.map((u) => [u, /javascript/] as const),
      ...styleUrls.map((u) => [u, /css/] as const),
    ]) {
      const absolute = new URL(url, base);
      // 'self': the gateway's own origin, nothing fetched from elsewhere.
      expect(absolute.origin).toBe(base.origin);
      const asset = await call(absolute.pathname);
      expect({ url: absolute.pathname, status: asset.status }).toEqual({
        url: absolute.pathname,
        status: 200,
      });
      expect(asset.headers.get('content-type')).toMatch(type);
    }
    // The initializer fetches the document from the same origin (connect-src 'self').
    const init = await (await call('/api/docs/swagger-ui-init.js')).text();
    expect(init).toContain('swaggerDoc');
    expect(policy.get('connect-src')).toEqual(["'self'"]);
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin with what it may send', async () => {
    for (const service of services) service.reset();
    const answer = await call(`/api/orders/${ORDER_ID}/place`, {
      method: 'OPTIONS',
      headers: {
        origin: ALLOWED,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(answer.headers.get('access-control-allow-methods')).toContain('POST');
    expect(answer.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    expect(services.every((service) => service.received.length === 0)).toBe(true);
  });

  it('lets an allowed origin read an answer and its headers', async () => {
    const answer = await call(`/api/orders/${ORDER_ID}`, { headers: { origin: ALLOWED } });
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(answer.headers.get('access-control-expose-headers')).toContain('X-Consistency');
    expect(answer.headers.get('vary')).toContain('Origin');
  });

  it.each(['https://evil.example', 'https://shop.example.com.evil.example', 'null'])(
    'gives another origin (%s) no CORS header, on a preflight or an answer',
    async (origin) => {
      const preflight = await call(`/api/orders/${ORDER_ID}/place`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const answer = await call(`/api/orders/${ORDER_ID}`, { headers: { origin } });
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    },
  );
});
