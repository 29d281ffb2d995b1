import { ConfigError, parseConfig } from '@tandem/platform/config';
import { TracingConfigSchema, tracingEnabled } from './tracing-config';

const parse = (env: NodeJS.ProcessEnv) => parseConfig('svc', TracingConfigSchema, env);

describe('tracing configuration', () => {
  it('is off when no OTLP endpoint is set, even with other OTEL_* variables', () => {
    expect(tracingEnabled(parse({}))).toBe(false);
    expect(tracingEnabled(parse({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_ENDPOINT: '' }))).toBe(
      false,
    );
  });

  it('is on with either endpoint, unless OTEL_SDK_DISABLED is true (in any case)', () => {
    expect(tracingEnabled(parse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }))).toBe(true);
    expect(tracingEnabled(parse({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector/v1/traces' }))).toBe(
      true,
    );
    expect(
      tracingEnabled(
        parse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'TRUE' }),
      ),
    ).toBe(false);
    expect(
      tracingEnabled(
        parse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'false' }),
      ),
    ).toBe(true);
  });

  it('refuses an endpoint that is not an http(s) URL, naming the variable', () => {
    expect(() => parse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(ConfigError);
    expect(() => parse({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' })).toThrow(
      /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: is not a URL/,
    );
  });
});
