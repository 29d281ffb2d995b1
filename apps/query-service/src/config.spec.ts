import { PLACEHOLDER_AUTH_ENV } from '@tandem/platform/auth/testing';
import { ConfigError } from '@tandem/platform/config';
import { parseQueryServiceConfig } from './config';

describe('query-service configuration', () => {
  test('defaults every optional variable', () => {
    expect(
      parseQueryServiceConfig({ READ_DATABASE_URL: 'postgres://u@db:5432/read', ...PLACEHOLDER_AUTH_ENV }),
    ).toMatchObject({
      PORT: 3002,
      RUN_MIGRATIONS: false,
      CONSISTENCY_WAIT_MS: 2000,
      DB_POOL_SIZE: 20,
    });
  });

  test('names each missing or bad variable', () => {
    let error: unknown;
    try {
      parseQueryServiceConfig({ CURSOR_SECRET: 'short', CONSISTENCY_WAIT_MS: '60000' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'AUTH_AUDIENCE',
      'AUTH_ISSUER',
      'AUTH_JWKS_URL',
      'CONSISTENCY_WAIT_MS',
      'CURSOR_SECRET',
      'READ_DATABASE_URL',
    ]);
  });
  test('bounds the live streams: caps, heartbeat and slow-client buffer, each named when bad', () => {
    const env = { READ_DATABASE_URL: 'postgres://u@db:5432/read', ...PLACEHOLDER_AUTH_ENV };
    expect(parseQueryServiceConfig(env)).toMatchObject({
      SSE_MAX_STREAMS: 5000,
      SSE_MAX_STREAMS_PER_PRINCIPAL: 10,
      SSE_HEARTBEAT_SECONDS: 15,
      SSE_MAX_BUFFERED_BYTES: 262144,
    });
    expect(() => parseQueryServiceConfig({ ...env, SSE_MAX_STREAMS: '0' })).toThrow(/SSE_MAX_STREAMS:/);
    expect(() => parseQueryServiceConfig({ ...env, SSE_MAX_STREAMS_PER_PRINCIPAL: 'ten' })).toThrow(
      /SSE_MAX_STREAMS_PER_PRINCIPAL: must be a whole number/,
    );
    expect(() => parseQueryServiceConfig({ ...env, SSE_HEARTBEAT_SECONDS: '301' })).toThrow(
      /SSE_HEARTBEAT_SECONDS:/,
    );
    expect(() => parseQueryServiceConfig({ ...env, SSE_MAX_BUFFERED_BYTES: '10' })).toThrow(
      /SSE_MAX_BUFFERED_BYTES:/,
    );
  });

  test("takes the inline models' read-only database as an optional URL, checked like the others", () => {
    const env = { READ_DATABASE_URL: 'postgres://u@db:5432/read', ...PLACEHOLDER_AUTH_ENV };
    expect(parseQueryServiceConfig(env).INLINE_DATABASE_URL).toBeUndefined();
    expect(
      parseQueryServiceConfig({ ...env, INLINE_DATABASE_URL: 'postgres://ro@write-replica:5432/write' })
        .INLINE_DATABASE_URL,
    ).toBe('postgres://ro@write-replica:5432/write');
    expect(() => parseQueryServiceConfig({ ...env, INLINE_DATABASE_URL: 'mysql://x/y' })).toThrow(
      /INLINE_DATABASE_URL: must use postgres:\/\//,
    );
  });

  test('refuses the development cursor secret, or none, with NODE_ENV=production', () => {
    const env = {
      READ_DATABASE_URL: 'postgres://u@db:5432/read',
      NODE_ENV: 'production',
      CONSISTENCY_TOKEN_SECRET: 'a-consistency-secret-of-our-own',
      ...PLACEHOLDER_AUTH_ENV,
    };
    expect(() => parseQueryServiceConfig(env)).toThrow(/CURSOR_SECRET: holds the public development default/);
    expect(() =>
      parseQueryServiceConfig({
        ...env,
        CURSOR_SECRET: 'a-secret-of-our-own-32-chars-long',
        CONSISTENCY_TOKEN_SECRET: '',
      }),
    ).toThrow(/CONSISTENCY_TOKEN_SECRET/);
    expect(() =>
      parseQueryServiceConfig({ ...env, CURSOR_SECRET: 'tandem-development-cursor-secret' }),
    ).toThrow(/CURSOR_SECRET/);
    expect(
      parseQueryServiceConfig({ ...env, CURSOR_SECRET: 'a-secret-of-our-own-32-chars-long' }),
    ).toMatchObject({
      CURSOR_SECRET: 'a-secret-of-our-own-32-chars-long',
    });
  });

  test('caps the waits for consistency tokens per caller and per replica', () => {
    expect(
      parseQueryServiceConfig({ READ_DATABASE_URL: 'postgres://u@db:5432/read', ...PLACEHOLDER_AUTH_ENV }),
    ).toMatchObject({
      CONSISTENCY_MAX_WAITS: 2000,
      CONSISTENCY_MAX_WAITS_PER_PRINCIPAL: 20,
      CONSISTENCY_RECHECK_MS: 1000,
      METRICS_PORT: 9466,
    });
  });
});
