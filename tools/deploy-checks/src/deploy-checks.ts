import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Helpers shared by the compose and Kubernetes checks: YAML, the apps' configuration contract, their metrics. */

export const repoRoot = path.resolve(__dirname, '../../..');

export const APPS = ['gateway', 'command-service', 'query-service', 'projection-service'] as const;
export type AppName = (typeof APPS)[number];

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value.a.b.c`, or undefined when a step is missing or not an object. */
export function at(value: unknown, ...keys: (string | number)[]): Json | undefined {
  let current: unknown = value;
  for (const key of keys) {
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      if (!isObject(current)) return undefined;
      current = current[key];
    }
  }
  return current as Json | undefined;
}

export function arrayAt(value: unknown, ...keys: (string | number)[]): Json[] {
  const found = at(value, ...keys);
  return Array.isArray(found) ? found : [];
}

export function stringAt(value: unknown, ...keys: (string | number)[]): string | undefined {
  const found = at(value, ...keys);
  return typeof found === 'string' ? found : undefined;
}

/** Every document of a YAML stream, as plain JSON; a YAML error fails loudly with its position. */
export function parseYamlDocuments(text: string, source: string): JsonObject[] {
  return parseAllDocuments(text, { merge: true }).flatMap((document) => {
    if (document.errors.length > 0) {
      throw new Error(`${source}: ${document.errors.map((error) => error.message).join('; ')}`);
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return [];
    if (!isObject(value)) throw new Error(`${source}: a document is not a mapping`);
    return [value];
  });
}

export function readYamlFile(relativePath: string): JsonObject[] {
  return parseYamlDocuments(readFileSync(path.join(repoRoot, relativePath), 'utf8'), relativePath);
}

const KUBECTL = process.env['KUBECTL'] ?? 'kubectl';

/**
 * `kubectl kustomize <dir>`, parsed. kubectl (1.32+, kustomize 5.5) must be installed: CI fails here, with this
 * message, rather than skip the Kubernetes checks.
 */
export function kustomize(relativeDir: string): JsonObject[] {
  let output: string;
  try {
    output = execFileSync(KUBECTL, ['kustomize', path.join(repoRoot, relativeDir)], {
      encoding: 'utf8',
      maxBuffer: 32 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    if (isObject(error) && error['code'] === 'ENOENT') {
      throw new Error(
        `kubectl not found (KUBECTL=${KUBECTL}): the Kubernetes checks render k8s/overlays/* with ` +
          '`kubectl kustomize`. Install kubectl 1.32 or newer (it embeds kustomize 5.5), or set KUBECTL to its path.',
        { cause: error },
      );
    }
    const stderr = isObject(error) ? String(error['stderr'] ?? '') : '';
    throw new Error(`kubectl kustomize ${relativeDir} failed: ${stderr || String(error)}`, { cause: error });
  }
  return parseYamlDocuments(output, `kubectl kustomize ${relativeDir}`);
}

interface SafeParseSchema {
  safeParse(input: unknown): { success: boolean; error?: { issues: { path: PropertyKey[] }[] } };
}

function isSafeParseSchema(value: unknown): value is SafeParseSchema {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'safeParse') === 'function';
}

const CONFIG_SCHEMA_EXPORTS: Record<AppName, string> = {
  gateway: 'GatewayConfigSchema',
  'command-service': 'CommandServiceConfigSchema',
  'query-service': 'QueryServiceConfigSchema',
  'projection-service': 'ProjectionServiceConfigSchema',
};

/**
 * The variables an app's zod configuration schema requires (no default): the keys it refuses in an empty
 * environment. The schema is loaded at run time from apps/<app>/src/config.ts, as the one source of truth; an app
 * is not imported statically, which the module boundaries forbid for any project.
 */
export function requiredEnv(app: AppName, schemaExport = CONFIG_SCHEMA_EXPORTS[app]): string[] {
  const modulePath = path.join(repoRoot, 'apps', app, 'src', 'config.ts');
  const loaded: unknown = jest.requireActual(modulePath);
  const schema: unknown =
    typeof loaded === 'object' && loaded !== null ? Reflect.get(loaded, schemaExport) : undefined;
  if (!isSafeParseSchema(schema)) throw new Error(`${modulePath} exports no zod schema ${schemaExport}`);
  const result = schema.safeParse({});
  const keys = new Set<string>();
  for (const issue of result.error?.issues ?? []) {
    const [key] = issue.path;
    if (typeof key === 'string') keys.add(key);
  }
  return [...keys].sort();
}

/**
 * The variables of an app's configuration that are development secrets (`developmentSecret` in
 * libs/platform/config): with NODE_ENV=production the service refuses to start on their public default.
 */
export function developmentSecretsOf(app: AppName, schemaExport = CONFIG_SCHEMA_EXPORTS[app]): string[] {
  const modulePath = path.join(repoRoot, 'apps', app, 'src', 'config.ts');
  const loaded: unknown = jest.requireActual(modulePath);
  const schema: unknown =
    typeof loaded === 'object' && loaded !== null ? Reflect.get(loaded, schemaExport) : undefined;
  const shape: unknown =
    typeof schema === 'object' && schema !== null ? Reflect.get(schema, 'shape') : undefined;
  if (typeof shape !== 'object' || shape === null)
    throw new Error(`${modulePath}: ${schemaExport} has no shape`);
  const { DEVELOPMENT_SECRETS } = jest.requireActual<{
    DEVELOPMENT_SECRETS: { has(schema: unknown): boolean };
  }>(path.join(repoRoot, 'libs/platform/config/src/index.ts'));
  return Object.entries(shape)
    .filter(([, field]) => DEVELOPMENT_SECRETS.has(field))
    .map(([name]) => name)
    .sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (entry === 'node_modules' || entry === 'test' || entry === 'fixtures') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(entry) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry) ? [full] : [];
  });
}

/**
 * The Prometheus series the services export: every counter/gauge/histogram created in apps/ and libs/ through
 * libs/platform/observability (with a histogram's _bucket/_sum/_count), plus `up`, which Prometheus adds.
 */
export function exportedSeries(): Set<string> {
  const series = new Set<string>(['up']);
  const pattern = /\b(counter|gauge|histogram)\(\s*'([a-zA-Z_:][a-zA-Z0-9_:]*)'/g;
  for (const file of [
    ...sourceFiles(path.join(repoRoot, 'apps')),
    ...sourceFiles(path.join(repoRoot, 'libs')),
  ]) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      const [, kind, name] = match;
      if (name === undefined) continue;
      series.add(name);
      if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) series.add(name + suffix);
    }
  }
  return series;
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: identifiers outside label matchers, grouping clauses, ranges and
 * strings that are not functions, keywords or numbers.
 */
export function promqlMetricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?/g)) {
    const [token, call] = match;
    const name = token.replace(/\s*\($/, '');
    if (call !== undefined || PROMQL_WORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names].sort();
}

export function fileExists(relativePath: string): boolean {
  return existsSync(path.join(repoRoot, relativePath));
}
