import { PLACEHOLDER_AUTH_ENV } from '@tandem/platform/auth/testing';
import { ConfigError } from '@tandem/platform/config';
import { parseGatewayConfig } from './config';

const VALID = {
  COMMAND_SERVICE_URL: 'http://command-service:3001',
  QUERY_SERVICE_URL: 'http://query-service:3002',
  PROJECTION_SERVICE_URL: 'https://projection-service.internal',
  ...PLACEHOLDER_AUTH_ENV,
};

function problemsOf(env: NodeJS.ProcessEnv): Record<string, string> {
  try {
    parseGatewayConfig(env);
  } catch (error) {
    if (error instanceof ConfigError)
      return Object.fromEntries(error.problems.map((p) => [p.variable, p.message]));
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('gateway configuration', () => {
  it('applies the defaults', () => {
    expect(parseGatewayConfig(VALID)).toEqual({
      ...VALID,
      AUTH_ROLES_CLAIM: 'roles',
      AUTH_ALGORITHMS: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      AUTH_CLOCK_TOLERANCE_SECONDS: 30,
      PORT: 3000,
      METRICS_PORT: 9464,
      UPSTREAM_TIMEOUT_MS: 15000,
      SSE_MAX_STREAMS: 10000,
      LOG_LEVEL: 'info',
      CORS_ALLOWED_ORIGINS: [],
      REDIS_URL: undefined,
      RATE_LIMIT_KEY_PREFIX: 'tandem:rate-limit',
      RATE_LIMIT_WINDOW_SECONDS: 60,
      RATE_LIMIT_IP_COMMANDS: 6000,
      RATE_LIMIT_IP_READS: 30000,
      RATE_LIMIT_IP_ADMIN: 600,
      RATE_LIMIT_PRINCIPAL_COMMANDS: 1200,
      RATE_LIMIT_PRINCIPAL_READS: 6000,
      RATE_LIMIT_PRINCIPAL_ADMIN: 300,
      TRUST_PROXY_HOPS: 0,
    });
  });

  it('reads the allowed origins and the rate limits', () => {
    expect(
      parseGatewayConfig({
        ...VALID,
        CORS_ALLOWED_ORIGINS: 'https://shop.example.com, http://localhost:5173',
        REDIS_URL: 'redis://redis:6379/0',
        RATE_LIMIT_PRINCIPAL_READS: '0',
      }),
    ).toMatchObject({
      CORS_ALLOWED_ORIGINS: ['https://shop.example.com', 'http://localhost:5173'],
      REDIS_URL: 'redis://redis:6379/0',
      RATE_LIMIT_PRINCIPAL_READS: 0,
    });
  });

  it('refuses an origin with a path, a Redis URL of another scheme, a negative limit', () => {
    expect(
      problemsOf({
        ...VALID,
        CORS_ALLOWED_ORIGINS: 'https://shop.example.com/',
        REDIS_URL: 'http://redis:6379',
        RATE_LIMIT_IP_READS: '-1',
      }),
    ).toEqual({
      CORS_ALLOWED_ORIGINS: expect.stringMatching(/not an origin/),
      REDIS_URL: 'must be a redis:// or rediss:// URL',
      RATE_LIMIT_IP_READS: expect.any(String),
    });
  });

  it('reads every variable', () => {
    expect(
      parseGatewayConfig({ ...VALID, PORT: '8080', UPSTREAM_TIMEOUT_MS: '2500', LOG_LEVEL: 'debug' }),
    ).toMatchObject({ PORT: 8080, UPSTREAM_TIMEOUT_MS: 2500, LOG_LEVEL: 'debug' });
  });

  it('names each missing upstream URL', () => {
    expect(problemsOf({})).toEqual({
      AUTH_ISSUER: 'is required',
      AUTH_AUDIENCE: 'is required',
      AUTH_JWKS_URL: 'is required',
      COMMAND_SERVICE_URL: 'is required',
      QUERY_SERVICE_URL: 'is required',
      PROJECTION_SERVICE_URL: 'is required',
    });
  });

  it('refuses a malformed URL, naming the variable', () => {
    expect(problemsOf({ ...VALID, COMMAND_SERVICE_URL: 'command-service:3001' })).toEqual({
      COMMAND_SERVICE_URL: expect.stringMatching(/URL/),
    });
    expect(problemsOf({ ...VALID, QUERY_SERVICE_URL: 'ftp://query' })).toEqual({
      QUERY_SERVICE_URL: 'must be an http:// or https:// URL',
    });
  });

  it('caps the live streams it relays, 10000 by default, naming SSE_MAX_STREAMS when bad', () => {
    expect(parseGatewayConfig(VALID).SSE_MAX_STREAMS).toBe(10_000);
    expect(problemsOf({ ...VALID, SSE_MAX_STREAMS: '0' })).toEqual({ SSE_MAX_STREAMS: expect.any(String) });
    expect(problemsOf({ ...VALID, SSE_MAX_STREAMS: 'many' })).toEqual({
      SSE_MAX_STREAMS: 'must be a whole number',
    });
  });

  it('refuses a bad port, timeout or log level', () => {
    expect(
      Object.keys(
        problemsOf({ ...VALID, PORT: '70000', UPSTREAM_TIMEOUT_MS: 'soon', LOG_LEVEL: 'loud' }),
      ).sort(),
    ).toEqual(['LOG_LEVEL', 'PORT', 'UPSTREAM_TIMEOUT_MS']);
  });
});
