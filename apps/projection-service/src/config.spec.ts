import { ConfigError } from '@tandem/platform/config';
import { parseProjectionServiceConfig } from './config';

describe('projection-service configuration', () => {
  test('defaults every optional variable', () => {
    const config = parseProjectionServiceConfig({
      READ_DATABASE_URL: 'postgres://u@db:5432/read',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
    });
    expect(config).toMatchObject({
      PORT: 3003,
      RUN_MIGRATIONS: true,
      KAFKA_BROKERS: ['k1:9092', 'k2:9092'],
      PROJECTIONS: ['order-summary', 'customer-orders', 'daily-sales'],
      KAFKA_GROUP_PREFIX: 'tandem.projection',
      STALL_AFTER_MS: 30_000,
    });
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
      'KAFKA_BROKERS',
      'PROJECTIONS',
      'READ_DATABASE_URL',
    ]);
  });
});
