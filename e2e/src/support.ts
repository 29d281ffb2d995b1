import { existsSync } from 'node:fs';
import path from 'node:path';
import { createTandemClient, type TandemClient } from '@tandem/client';
import { startStack, type Stack } from '@tandem/dev-stack';
import { createTestDatabase, startTestKafka, type TestKafka } from '@tandem/platform/testing';

export const ROOT = path.resolve(__dirname, '../..');

export function builtApp(app: string): string {
  const script = path.join(ROOT, 'dist/apps', app, 'main.js');
  if (!existsSync(script)) {
    throw new Error(`${script} is missing: run \`npm run build\` before the e2e tests (npm test does)`);
  }
  return script;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * The caller a test is by default, per stack (by the gateway's origin): `staff1`, who may send every order and
 * customer command and read every record. A test that is about who calls passes its own `authorization` (an empty
 * one sends none).
 */
const defaultCallers = new Map<string, string>();

export async function call(
  method: string,
  url: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  const caller = defaultCallers.get(new URL(url).origin);
  const headers: Record<string, string> = {
    ...(caller ? { authorization: caller } : {}),
    // Every command says it is JSON, with a body or without (a bodiless POST must not be a CORS simple request).
    ...(hasBody || method !== 'GET' ? { 'content-type': 'application/json' } : {}),
    ...options.headers,
  };
  if (headers['authorization'] === '') delete headers['authorization'];
  const response = await fetch(url, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}

/**
 * The four services as separate processes on free ports, two throwaway databases, and the test Kafka: the cluster
 * named by TEST_KAFKA_BROKERS (under a prefix of this stack's own) or a dev broker of its own.
 */
export interface E2eStack {
  stack: Stack;
  kafka: TestKafka;
  /** The gateway's `/api` base URL. */
  api: string;
  /** Every service's prefixed output lines; printed at stop when `E2E_SHOW_LOGS` is set. */
  logs: string[];
  /**
   * `{ authorization: 'Bearer …' }` for a demo user (`customer1`, `customer2`, `staff1`, `admin1`): its access
   * token from the stack's development provider, obtained through its real endpoints (authorization code with
   * PKCE, the login form), once per user and then reused until shortly before it expires.
   */
  authAs(username: string): Promise<{ authorization: string }>;
  /**
   * The typed client (`@tandem/client`) on the gateway, signed in as a demo user (default `staff1`, as `call()`):
   * its token comes from the stack's provider before each request (cached until shortly before it expires).
   */
  clientAs(username?: string): TandemClient;
  stop(): Promise<void>;
}

const E2E_RATE_LIMITS: Record<string, string> = Object.fromEntries(
  ['IP', 'PRINCIPAL'].flatMap((scope) =>
    ['COMMANDS', 'READS', 'ADMIN'].map((routeClass) => [`RATE_LIMIT_${scope}_${routeClass}`, '10000000']),
  ),
);

/** A stack that fails to start says why in the test's failure: its services' last lines of output. */
async function withLogsOnFailure<T>(logs: string[], start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const tail = logs.slice(-40).join('\n');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\nthe services' last lines of output:\n${tail || '(none)'}`, { cause: error });
  }
}

export async function startE2eStack(
  name: string,
  env: Record<string, string> = {},
  /** `kafkaBrokers`: a Kafka of the test's own (which it may stop), instead of the test Kafka. */
  options: { kafkaBrokers?: string } = {},
): Promise<E2eStack> {
  for (const app of ['gateway', 'command-service', 'projection-service', 'query-service']) builtApp(app);
  const writeDb = await createTestDatabase(`${name}_write`);
  const readDb = await createTestDatabase(`${name}_read`);
  const kafka = options.kafkaBrokers
    ? ownKafka(options.kafkaBrokers)
    : await startTestKafka(name, { initialRebalanceDelayMs: 0 });
  const logs: string[] = [];
  const stack = await withLogsOnFailure(logs, () =>
    startStack({
      writeDatabaseUrl: writeDb.url,
      readDatabaseUrl: readDb.url,
      kafkaBrokers: kafka.bootstrap,
      ports: { gateway: 0, 'command-service': 0, 'query-service': 0, 'projection-service': 0 },
      oidcPort: 0,
      skipBuild: true,
      output: (line) => logs.push(line),
      env: {
        LOG_LEVEL: 'warn',
        TOPIC_PARTITIONS: '3',
        KAFKA_TOPIC_PREFIX: kafka.serviceEnv.KAFKA_TOPIC_PREFIX,
        KAFKA_GROUP_PREFIX: kafka.serviceEnv.KAFKA_GROUP_PREFIX,
        // One address and a few users drive these tests far harder than any client should: the gateway's rate limits
        // are raised out of their reach (still counted). The limits have tests of their own
        // (apps/gateway/src/edge/rate-limits/rate-limits.int-spec.ts).
        ...E2E_RATE_LIMITS,
        ...env,
      },
    }),
  );
  defaultCallers.set(new URL(stack.gatewayUrl).origin, `Bearer ${await stack.tokenFor('staff1')}`);
  return {
    stack,
    kafka,
    api: `${stack.gatewayUrl}/api`,
    logs,
    authAs: async (username) => ({ authorization: `Bearer ${await stack.tokenFor(username)}` }),
    clientAs: (username = 'staff1') =>
      createTandemClient({ baseUrl: stack.gatewayUrl, token: () => stack.tokenFor(username) }),
    async stop() {
      defaultCallers.delete(new URL(stack.gatewayUrl).origin);
      await stack.stop();
      await kafka.stop();
      await writeDb.drop();
      await readDb.drop();
      if (process.env['E2E_SHOW_LOGS'] && logs.length > 0) process.stdout.write(logs.join('\n') + '\n');
    },
  };
}

/** A cluster the test started for itself: no prefixes, and the test stops it. */
function ownKafka(bootstrap: string): TestKafka {
  return {
    bootstrap,
    prefix: '',
    topic: (name) => name,
    group: (name) => name,
    serviceEnv: { KAFKA_BROKERS: bootstrap, KAFKA_TOPIC_PREFIX: '', KAFKA_GROUP_PREFIX: 'tandem.projection' },
    stop: async () => undefined,
  };
}
