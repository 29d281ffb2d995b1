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
      UPSTREAM_TIMEOUT_MS: 15000,
      LOG_LEVEL: 'info',
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

  it('refuses a bad port, timeout or log level', () => {
    expect(
      Object.keys(
        problemsOf({ ...VALID, PORT: '70000', UPSTREAM_TIMEOUT_MS: 'soon', LOG_LEVEL: 'loud' }),
      ).sort(),
    ).toEqual(['LOG_LEVEL', 'PORT', 'UPSTREAM_TIMEOUT_MS']);
  });
});
