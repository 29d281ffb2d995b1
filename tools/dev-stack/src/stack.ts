import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startDevBroker, type DevBroker } from '@tandem/kafka-dev-broker';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@tandem/platform/testing';
import { freePort } from './free-port';
import { runToCompletion, spawnService, type ServiceProcess } from './service-process';
import { authEnv, startStackAuth, type AuthSettings } from './stack-auth';

const ROOT = path.resolve(__dirname, '../../..');
const APPS = ['command-service', 'projection-service', 'query-service', 'gateway'] as const;
type AppName = (typeof APPS)[number];

export interface StackOptions {
  /** Use these instead of starting the embedded ones. */
  kafkaBrokers?: string;
  writeDatabaseUrl?: string;
  readDatabaseUrl?: string;
  /** Port per app; 0 picks a free one. Defaults: gateway 3000, command 3001, query 3002, projection 3003. */
  ports?: Partial<Record<AppName, number>>;
  /** Port of the embedded Kafka broker (default 9092; 0 picks a free one). */
  brokerPort?: number;
  /** Where log lines go (default stdout). */
  output?: (line: string) => void;
  /** Skip `npm run build` when the caller built already. */
  skipBuild?: boolean;
  readyTimeoutMs?: number;
  /** Extra environment for every service (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
  /** Trust this OpenID Provider instead of starting the development one. */
  auth?: AuthSettings;
  /** Port of the development OpenID Provider (default 3004; 0 picks a free one). */
  oidcPort?: number;
}

export interface Stack {
  gatewayUrl: string;
  urls: Record<AppName, string>;
  /** Each app's Prometheus endpoint (`http://127.0.0.1:<METRICS_PORT>/metrics`), apart from its API. */
  metricsUrls: Record<AppName, string>;
  kafkaBrokers: string;
  writeDatabaseUrl: string;
  readDatabaseUrl: string;
  processes: Record<AppName, ServiceProcess>;
  /** The issuer every service trusts (AUTH_ISSUER): the development provider's unless `auth` named another. */
  issuerUrl: string;
  auth: AuthSettings;
  /** An access token for a demo user (`customer1`, …) from the development provider, cached per user. */
  tokenFor(username: string): Promise<string>;
  /** Rotates the development provider's signing key; resolves with the new `kid` once it signs. */
  rotateKeys(): Promise<string>;
  /**
   * Starts an app again with the same port and environment (after a test killed it) and returns the new process,
   * which `processes` then holds; it does not wait for it to be ready.
   */
  respawn(app: AppName): ServiceProcess;
  /**
   * Starts another replica of an app (same environment, its own port, management port and name), stopped with the
   * stack; it does not wait for it to be ready. `metricsPort` 0 (the default) serves no metrics: the first replica's
   * would be taken. The fault tests run a second projection service with it.
   */
  spawnReplica(app: AppName, name: string, port: number, metricsPort?: number): ServiceProcess;
  stop(): Promise<void>;
}

const DEFAULT_PORTS: Record<AppName, number> = {
  gateway: 3000,
  'command-service': 3001,
  'query-service': 3002,
  'projection-service': 3003,
};

/** Their management ports (`METRICS_PORT`), as in docs/services.md; free ones where the app's port is picked. */
const DEFAULT_METRICS_PORTS: Record<AppName, number> = {
  gateway: 9464,
  'command-service': 9465,
  'query-service': 9466,
  'projection-service': 9467,
};

/**
 * Starts the whole system as separate processes: the development OpenID Provider (in this process) unless `auth`
 * names another, the embedded Kafka broker and PGlite databases for whatever is not given, the migrations, then the
 * four services; resolves once every service reports ready.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const output = options.output ?? ((line: string) => process.stdout.write(`${line}\n`));
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => output(`[dev-stack] cleanup failed: ${String(error)}`));
    }
    cleanups.length = 0;
  };
  try {
    const auth = await startStackAuth(options.auth, options.oidcPort ?? 3004, cleanups, output);
    const kafkaBrokers =
      options.kafkaBrokers ?? (await embeddedBroker(options.brokerPort ?? 9092, cleanups, output));
    const writeDatabaseUrl = options.writeDatabaseUrl ?? (await embedded('write', cleanups, output));
    const readDatabaseUrl = options.readDatabaseUrl ?? (await embedded('read', cleanups, output));

    if (!options.skipBuild) {
      output('[dev-stack] building the services');
      execFileSync(process.execPath, [path.join(ROOT, 'tools/build/build.mjs')], {
        cwd: ROOT,
        stdio: 'ignore',
      });
    }

    const ports = {} as Record<AppName, number>;
    const metricsPorts = {} as Record<AppName, number>;
    for (const app of APPS) {
      const wanted = options.ports?.[app] ?? DEFAULT_PORTS[app];
      ports[app] = wanted === 0 ? await freePort() : wanted;
      metricsPorts[app] = wanted === 0 ? await freePort() : DEFAULT_METRICS_PORTS[app];
    }
    const metricsUrls = Object.fromEntries(
      APPS.map((app) => [app, `http://127.0.0.1:${metricsPorts[app]}/metrics`]),
    ) as Record<AppName, string>;
    const urls = Object.fromEntries(APPS.map((app) => [app, `http://127.0.0.1:${ports[app]}`])) as Record<
      AppName,
      string
    >;
    const common = { LOG_LEVEL: 'info', ...authEnv(auth.settings), ...options.env };
    const envOf: Record<AppName, Record<string, string>> = {
      'command-service': {
        ...common,
        PORT: String(ports['command-service']),
        METRICS_PORT: String(metricsPorts['command-service']),
        WRITE_DATABASE_URL: writeDatabaseUrl,
        KAFKA_BROKERS: kafkaBrokers,
      },
      'projection-service': {
        ...common,
        PORT: String(ports['projection-service']),
        METRICS_PORT: String(metricsPorts['projection-service']),
        READ_DATABASE_URL: readDatabaseUrl,
        KAFKA_BROKERS: kafkaBrokers,
      },
      'query-service': {
        ...common,
        PORT: String(ports['query-service']),
        METRICS_PORT: String(metricsPorts['query-service']),
        READ_DATABASE_URL: readDatabaseUrl,
        // The inline models: on the write DB itself in development (a read replica of it in production).
        INLINE_DATABASE_URL: writeDatabaseUrl,
      },
      gateway: {
        ...common,
        PORT: String(ports.gateway),
        METRICS_PORT: String(metricsPorts.gateway),
        COMMAND_SERVICE_URL: urls['command-service'],
        QUERY_SERVICE_URL: urls['query-service'],
        PROJECTION_SERVICE_URL: urls['projection-service'],
      },
    };
    const scriptOf = (app: AppName) => path.join(ROOT, 'dist/apps', app, 'main.js');

    // Migrations first, as a Kubernetes job would run them, so that services never race to create a schema.
    await runToCompletion(
      'migrate:write',
      scriptOf('command-service'),
      ['migrate'],
      envOf['command-service'],
    );
    await runToCompletion(
      'migrate:read',
      scriptOf('projection-service'),
      ['migrate'],
      envOf['projection-service'],
    );

    const processes = {} as Record<AppName, ServiceProcess>;
    const spawnApp = (app: AppName): ServiceProcess => {
      const service = spawnService({
        name: app,
        script: scriptOf(app),
        env: envOf[app],
        url: urls[app],
        output,
      });
      processes[app] = service;
      return service;
    };
    for (const app of APPS) {
      spawnApp(app);
      // Whichever process runs the app at the end, respawned or not.
      cleanups.push(() => processes[app].stop());
    }
    await Promise.all(APPS.map((app) => waitUntilReady(processes[app], options.readyTimeoutMs ?? 60_000)));

    return {
      gatewayUrl: urls.gateway,
      urls,
      metricsUrls,
      kafkaBrokers,
      writeDatabaseUrl,
      readDatabaseUrl,
      processes,
      issuerUrl: auth.settings.issuer,
      auth: auth.settings,
      tokenFor: auth.tokenFor,
      rotateKeys: auth.rotateKeys,
      respawn: spawnApp,
      spawnReplica: (app, name, port, metricsPort = 0) => {
        const replica = spawnService({
          name,
          script: scriptOf(app),
          env: { ...envOf[app], PORT: String(port), METRICS_PORT: String(metricsPort) },
          url: `http://127.0.0.1:${port}`,
          output,
        });
        cleanups.push(() => replica.stop());
        return replica;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function embeddedBroker(
  port: number,
  cleanups: Array<() => Promise<void>>,
  output: (line: string) => void,
): Promise<string> {
  const broker: DevBroker = await startDevBroker({ port });
  cleanups.push(() => broker.stop());
  output(`[dev-stack] development Kafka broker on ${broker.bootstrap}`);
  return broker.bootstrap;
}

async function embedded(
  which: 'write' | 'read',
  cleanups: Array<() => Promise<void>>,
  output: (line: string) => void,
): Promise<string> {
  const db: EmbeddedPostgres = await startEmbeddedPostgres();
  cleanups.push(() => db.stop());
  output(`[dev-stack] embedded ${which} database (PGlite) on ${db.url}`);
  return db.url;
}

async function waitUntilReady(service: ServiceProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void service.exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined)
      throw new Error(`${service.name} exited with code ${exitCode} before it was ready`);
    try {
      const response = await fetch(`${service.url}/health/ready`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${service.name} was not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
