import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { freePort, startStack, type Stack } from '@tandem/dev-stack';
import { startChaosKafka, type BrokerKind, type ChaosKafka } from './chaos-kafka';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster';

type ServiceProcess = Stack['processes']['gateway'];

/**
 * The load comes from one address and one staff principal, and retries through every fault: the gateway's rate
 * limits (per address and per principal) are raised out of its reach, as in the e2e stack, so that a 429 never
 * stands for a refusal the fault caused.
 */
const UNREACHED_RATE_LIMITS: Record<string, string> = Object.fromEntries(
  ['IP', 'PRINCIPAL'].flatMap((scope) =>
    ['COMMANDS', 'READS', 'ADMIN'].map((routeClass) => [`RATE_LIMIT_${scope}_${routeClass}`, '10000000']),
  ),
);

export interface ChaosSystemOptions {
  broker: BrokerKind;
  /** The shared server where the read DB is created (and dropped at the end). */
  sharedPostgresUrl: string;
  /** Extra environment for every service. */
  env: Record<string, string>;
  /** Service output and progress lines. */
  log: (line: string) => void;
}

/**
 * The system under test, as separate processes: the write DB on a PostgreSQL cluster of its own (so it can be
 * restarted), the read DB on the shared server (its connections can be terminated), the fault test's own Kafka
 * behind a proxy, and the four services started by the dev stack, plus extra projection-service replicas on demand.
 */
export interface ChaosSystem {
  readonly kafka: ChaosKafka;
  readonly cluster: PostgresCluster;
  readonly stack: Stack;
  /** The gateway's base URL (`…/api` is the API). */
  readonly gatewayUrl: string;
  readonly writeDb: Pool;
  readonly readDb: Pool;
  readonly readDatabaseName: string;
  readonly sharedPostgresUrl: string;
  /** Extra projection-service replicas now running. */
  readonly replicas: ServiceProcess[];
  spawnProjectionReplica(): Promise<ServiceProcess>;
  /** Every service process now running (the stack's and the replicas). */
  services(): ServiceProcess[];
  stop(): Promise<void>;
}

export async function waitReady(service: ServiceProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null | undefined;
  void service.exited.then((code) => (exited = code));
  for (;;) {
    if (exited !== undefined) throw new Error(`${service.name} exited with ${exited} before it was ready`);
    try {
      const answer = await fetch(`${service.url}/health/ready`, { signal: AbortSignal.timeout(2000) });
      if (answer.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${service.name} was not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startChaosSystem(options: ChaosSystemOptions): Promise<ChaosSystem> {
  const { log } = options;
  const cleanups: Array<() => Promise<void>> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error: unknown) => log(`cleanup: ${String(error)}`));
    cleanups.length = 0;
  };
  try {
    log('starting a PostgreSQL cluster of its own for the write DB');
    const cluster = startPostgresCluster(await freePort());
    cleanups.push(async () => cluster.destroy());
    await onServer(cluster.url('postgres'), 'CREATE DATABASE tandem_write');
    const readDatabaseName = `tandem_chaos_read_${randomBytes(4).toString('hex')}`;
    await onServer(options.sharedPostgresUrl, `CREATE DATABASE ${readDatabaseName}`);
    cleanups.push(() =>
      onServer(options.sharedPostgresUrl, `DROP DATABASE IF EXISTS ${readDatabaseName} WITH (FORCE)`),
    );
    const readUrl = new URL(options.sharedPostgresUrl);
    readUrl.pathname = `/${readDatabaseName}`;

    log(`starting ${options.broker === 'apache' ? 'Apache Kafka' : 'the development broker'} of its own`);
    const kafka = await startChaosKafka(options.broker, log);
    cleanups.push(() => kafka.stop());

    log('starting the four services');
    const stack = await startStack({
      kafkaBrokers: kafka.bootstrap,
      writeDatabaseUrl: cluster.url('tandem_write'),
      readDatabaseUrl: readUrl.toString(),
      ports: { gateway: 0, 'command-service': 0, 'query-service': 0, 'projection-service': 0 },
      // The development OpenID Provider, in this process, on a free port: every service trusts it, and the load
      // and the operator get their tokens from it (`stack.tokenFor`).
      oidcPort: 0,
      output: log,
      readyTimeoutMs: 120_000,
      env: { LOG_LEVEL: 'warn', TOPIC_PARTITIONS: '6', ...UNREACHED_RATE_LIMITS, ...options.env },
    });
    cleanups.push(() => stack.stop());
    const writeDb = new Pool({ connectionString: cluster.url('tandem_write'), max: 4 });
    // A pool whose clients die with the faults: idle ones are dropped, not thrown.
    writeDb.on('error', () => undefined);
    const readDb = new Pool({ connectionString: readUrl.toString(), max: 4 });
    readDb.on('error', () => undefined);
    cleanups.push(async () => {
      await writeDb.end();
      await readDb.end();
    });

    const replicas: ServiceProcess[] = [];
    return {
      kafka,
      cluster,
      stack,
      gatewayUrl: stack.gatewayUrl,
      writeDb,
      readDb,
      readDatabaseName,
      sharedPostgresUrl: options.sharedPostgresUrl,
      replicas,
      async spawnProjectionReplica() {
        const replica = stack.spawnReplica(
          'projection-service',
          `projection-service-${replicas.length + 2}`,
          await freePort(),
          await freePort(), // its own management port: the first replica has the stack's
        );
        replicas.push(replica);
        void replica.exited.then(() => {
          const at = replicas.indexOf(replica);
          if (at >= 0) replicas.splice(at, 1);
        });
        return replica;
      },
      services: () => [...Object.values(stack.processes), ...replicas],
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
