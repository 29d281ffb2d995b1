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
