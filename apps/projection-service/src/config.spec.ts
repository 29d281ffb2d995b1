import { PLACEHOLDER_AUTH_ENV } from '@tandem/platform/auth/testing';
import { ConfigError } from '@tandem/platform/config';
import { parseProjectionServiceConfig } from './config';

describe('projection-service configuration', () => {
  test('defaults every optional variable', () => {
    const config = parseProjectionServiceConfig({
      READ_DATABASE_URL: 'postgres://u@db:5432/read',
      ...PLACEHOLDER_AUTH_ENV,
      KAFKA_BROKERS: 'k1:9092,k2:9092',
    });
    expect(config).toMatchObject({
      PORT: 3003,
      RUN_MIGRATIONS: true,
      KAFKA_BROKERS: ['k1:9092', 'k2:9092'],
      PROJECTIONS: ['order-summary', 'customer-orders', 'daily-sales'],
      KAFKA_GROUP_PREFIX: 'tandem.projection',
      STALL_AFTER_MS: 30_000,
      KAFKA_SESSION_TIMEOUT_MS: 6_000,
      KAFKA_HEARTBEAT_INTERVAL_MS: 1_000,
      KAFKA_REBALANCE_TIMEOUT_MS: 30_000,
      KAFKA_OFFSET_COMMIT_INTERVAL_MS: 500,
    });
  });

  test('refuses a heartbeat interval above a third of the session timeout, and a rebalance timeout below it', () => {
    const parse = (env: Record<string, string>) => () =>
      parseProjectionServiceConfig({
        READ_DATABASE_URL: 'postgres://u@db:5432/read',
        ...PLACEHOLDER_AUTH_ENV,
        KAFKA_BROKERS: 'k1:9092',
        ...env,
      });
    expect(parse({ KAFKA_SESSION_TIMEOUT_MS: '10000', KAFKA_HEARTBEAT_INTERVAL_MS: '3334' })).toThrow(
      /KAFKA_HEARTBEAT_INTERVAL_MS: must be at most a third of KAFKA_SESSION_TIMEOUT_MS \(10000\)/,
    );
    expect(parse({ KAFKA_SESSION_TIMEOUT_MS: '10000', KAFKA_HEARTBEAT_INTERVAL_MS: '3333' })).not.toThrow();
    expect(parse({ KAFKA_SESSION_TIMEOUT_MS: '45000' })).toThrow(
      /KAFKA_REBALANCE_TIMEOUT_MS: must be at least KAFKA_SESSION_TIMEOUT_MS \(45000\)/,
    );
    expect(parse({ KAFKA_SESSION_TIMEOUT_MS: 'soon' })).toThrow(
      /KAFKA_SESSION_TIMEOUT_MS: must be a whole number/,
    );
  });

  test('names each missing or bad variable', () => {
    let error: unknown;
    try {
      parseProjectionServiceConfig({
        READ_DATABASE_URL: 'mysql://db/read',
        PROJECTIONS: 'order-summary,bogus',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'AUTH_AUDIENCE',
      'AUTH_ISSUER',
      'AUTH_JWKS_URL',
      'KAFKA_BROKERS',
      'PROJECTIONS',
      'READ_DATABASE_URL',
    ]);
  });
});
