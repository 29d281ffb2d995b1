import { ORDER_TOPIC_V1_DEPRECATION } from '@tandem/contracts';
import { PLACEHOLDER_AUTH_ENV } from '@tandem/platform/auth/testing';
import { ConfigError } from '@tandem/platform/config';
import { parseCommandServiceConfig } from './config';

const required = {
  WRITE_DATABASE_URL: 'postgres://u@db:5432/write',
  KAFKA_BROKERS: 'kafka:9092',
  ...PLACEHOLDER_AUTH_ENV,
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseCommandServiceConfig({ ...required, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.variable}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('command-service configuration: INLINE_PROJECTIONS', () => {
  it('applies every inline model by default, none with `none`, or those listed', () => {
    expect(parseCommandServiceConfig(required).INLINE_PROJECTIONS).toEqual(['customer-exposure']);
    expect(parseCommandServiceConfig({ ...required, INLINE_PROJECTIONS: 'none' }).INLINE_PROJECTIONS).toEqual(
      [],
    );
    expect(
      parseCommandServiceConfig({ ...required, INLINE_PROJECTIONS: ' customer-exposure ' })
        .INLINE_PROJECTIONS,
    ).toEqual(['customer-exposure']);
  });

  it('refuses an unknown or repeated name, naming the variable and the known models', () => {
    expect(problemsOf({ INLINE_PROJECTIONS: 'customer-exposure,order-summary' })).toEqual([
      'INLINE_PROJECTIONS: unknown inline model "order-summary"; known: customer-exposure (or none)',
    ]);
    expect(problemsOf({ INLINE_PROJECTIONS: 'customer-exposure,customer-exposure' })).toEqual([
      'INLINE_PROJECTIONS: names customer-exposure twice',
    ]);
  });
});

describe('command-service configuration: event versions', () => {
  it('writes v2 and publishes orders.order.v1 until the contract sunset by default', () => {
    const config = parseCommandServiceConfig(required);
    expect(config.EVENT_VERSION_WRITTEN).toBe(2);
    expect(config.PUBLISH_V1_UNTIL.toISOString()).toBe(`${ORDER_TOPIC_V1_DEPRECATION.sunset}T00:00:00.000Z`);
  });

  it('takes EVENT_VERSION_WRITTEN=1 and a date or a date-time for PUBLISH_V1_UNTIL', () => {
    expect(parseCommandServiceConfig({ ...required, EVENT_VERSION_WRITTEN: '1' }).EVENT_VERSION_WRITTEN).toBe(
      1,
    );
    expect(
      parseCommandServiceConfig({ ...required, PUBLISH_V1_UNTIL: '2027-01-31' }).PUBLISH_V1_UNTIL,
    ).toEqual(new Date('2027-01-31T00:00:00Z'));
    expect(
      parseCommandServiceConfig({ ...required, PUBLISH_V1_UNTIL: '2027-01-31T12:00:00+01:00' })
        .PUBLISH_V1_UNTIL,
    ).toEqual(new Date('2027-01-31T11:00:00Z'));
  });

  it('refuses anything else, naming the variable', () => {
    expect(problemsOf({ EVENT_VERSION_WRITTEN: '3' })).toEqual(['EVENT_VERSION_WRITTEN: must be 1 or 2']);
    for (const bad of ['soon', '2027-02-30', '2027-01-31T12:00:00', '31.01.2027']) {
      expect(problemsOf({ PUBLISH_V1_UNTIL: bad })).toEqual([
        'PUBLISH_V1_UNTIL: must be a date (YYYY-MM-DD, midnight UTC) or an ISO 8601 date-time with its offset',
      ]);
    }
  });
});
