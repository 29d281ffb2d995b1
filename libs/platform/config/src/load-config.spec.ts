import { z } from 'zod';
import { ConfigError, parseConfig } from './load-config';
import { boolean, integer, kafkaBrokers, port, postgresUrl } from './env-schemas';
import { developmentSecret } from './development-secret';

const schema = z.object({
  WRITE_DATABASE_URL: postgresUrl(),
  KAFKA_BROKERS: kafkaBrokers(),
  PORT: port(3000),
  BATCH: integer({ min: 1, max: 10, default: 5 }),
  VERBOSE: boolean(false),
});

function problemsOf(env: NodeJS.ProcessEnv): Record<string, string> {
  try {
    parseConfig('svc', schema, env);
  } catch (error) {
    if (error instanceof ConfigError)
      return Object.fromEntries(error.problems.map((p) => [p.variable, p.message]));
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('parses valid values and applies defaults', () => {
    const config = parseConfig('svc', schema, {
      WRITE_DATABASE_URL: 'postgres://u:p@db:5432/write',
      KAFKA_BROKERS: 'a:9092, b:9093',
    });
    expect(config).toEqual({
      WRITE_DATABASE_URL: 'postgres://u:p@db:5432/write',
      KAFKA_BROKERS: ['a:9092', 'b:9093'],
      PORT: 3000,
      BATCH: 5,
      VERBOSE: false,
    });
  });

  it('names every missing variable', () => {
    expect(problemsOf({})).toEqual({ WRITE_DATABASE_URL: 'is required', KAFKA_BROKERS: 'is required' });
  });

  it('treats an empty value as missing', () => {
    expect(problemsOf({ WRITE_DATABASE_URL: ' ', KAFKA_BROKERS: 'a:1' })).toEqual({
      WRITE_DATABASE_URL: 'is required',
    });
  });

  it('refuses malformed values, naming the variable and the reason', () => {
    const problems = problemsOf({
      WRITE_DATABASE_URL: 'mysql://db/x',
      KAFKA_BROKERS: 'nohostport',
      PORT: '70000',
      BATCH: 'many',
      VERBOSE: 'maybe',
    });
    expect(Object.keys(problems).sort()).toEqual([
      'BATCH',
      'KAFKA_BROKERS',
      'PORT',
      'VERBOSE',
      'WRITE_DATABASE_URL',
    ]);
    expect(problems['WRITE_DATABASE_URL']).toMatch(/postgres:\/\//);
    expect(problems['KAFKA_BROKERS']).toMatch(/not host:port/);
  });

  it('refuses a database URL without a database name', () => {
    expect(problemsOf({ WRITE_DATABASE_URL: 'postgres://db:5432', KAFKA_BROKERS: 'a:1' })).toEqual({
      WRITE_DATABASE_URL: expect.stringMatching(/names no database/),
    });
  });
});

describe('developmentSecret', () => {
  const withSecret = z.object({
    CURSOR_SECRET: developmentSecret({ developmentDefault: 'tandem-development-secret' }),
  });
  const refusal = (env: NodeJS.ProcessEnv) => {
    try {
      parseConfig('svc', withSecret, env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  it('stands in with its default in development', () => {
    expect(parseConfig('svc', withSecret, {})).toEqual({ CURSOR_SECRET: 'tandem-development-secret' });
    expect(parseConfig('svc', withSecret, { NODE_ENV: 'test' }).CURSOR_SECRET).toBe(
      'tandem-development-secret',
    );
  });

  it('refuses the default, set or implied, with NODE_ENV=production, naming the variable', () => {
    for (const env of [
      { NODE_ENV: 'production' },
      { NODE_ENV: 'production', CURSOR_SECRET: 'tandem-development-secret' },
    ]) {
      expect(refusal(env)).toEqual([
        {
          variable: 'CURSOR_SECRET',
          message: expect.stringMatching(/development default.*NODE_ENV=production/),
        },
      ]);
    }
  });

  it('accepts a secret of its own in production, and still refuses a short one', () => {
    expect(parseConfig('svc', withSecret, { NODE_ENV: 'production', CURSOR_SECRET: 'x'.repeat(32) })).toEqual(
      {
        CURSOR_SECRET: 'x'.repeat(32),
      },
    );
    expect(refusal({ NODE_ENV: 'production', CURSOR_SECRET: 'short' })).toEqual([
      { variable: 'CURSOR_SECRET', message: 'must be at least 16 characters' },
    ]);
  });
});
