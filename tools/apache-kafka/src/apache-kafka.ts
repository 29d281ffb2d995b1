// A single-node Apache Kafka (KRaft, broker and controller in one process) for tests, benchmarks and `npm run kafka`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApacheKafkaUnavailable, ensureApacheKafka } from './install';

export interface ApacheKafkaOptions {
  /** Client port; 0 (the default) picks a free one. */
  port?: number;
  /**
   * The port clients are told to connect to (advertised.listeners), when it is not `port`: a TCP proxy's in front of
   * the broker (the fault tests cut the network there). Default: `port`.
   */
  advertisedPort?: number;
  /** Keep the log dir here across restarts (formatted on first use). Default: a temporary dir, removed at stop. */
  dataDir?: string;
  /** How long to wait for the broker to accept clients. Default 90 s. */
  startTimeoutMs?: number;
  /** Progress lines (fetching, starting). Default: none. */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface ApacheKafka {
  /** "127.0.0.1:PORT", for a client's brokers list. */
  readonly bootstrap: string;
  readonly port: number;
  readonly version: string;
  /** The broker's own log (log4j2); a failing test points here. */
  readonly logFile: string;
  readonly dataDir: string;
  readonly pid: number;
  /** SIGTERM (a controlled shutdown), SIGKILL after 20 s; removes a temporary dir's records. Safe to call twice. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Broker settings for one node; production clusters differ only in replication and listeners. */
function serverProperties(
  port: number,
  controllerPort: number,
  logDir: string,
  advertisedPort = port,
): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=${HOST}:${controllerPort}`,
    `listeners=PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://${HOST}:${advertisedPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${logDir}`,
    'num.partitions=1',
    'auto.create.topics.enable=true',
    // One node: every internal topic has one replica.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Tests start consumer groups often; the default 3 s delay only helps large groups join at once.
    'group.initial.rebalance.delay.ms=0',
    // Event topics keep everything (ensureTopics also sets this per topic); so do auto-created ones.
    'log.retention.ms=-1',
    'log.retention.bytes=-1',
    'num.network.threads=2',
    'num.io.threads=4',
    '',
  ].join('\n');
}

function log4j2Properties(logFile: string): string {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = file',
    `appender.file.fileName = ${logFile}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = info',
    'rootLogger.appenderRef.file.ref = file',
    // The request log and the state change log are chatty at INFO and tell a test nothing.
    'logger.request.name = kafka.request.logger',
    'logger.request.level = warn',
    'logger.state.name = state.change.logger',
    'logger.state.level = warn',
    '',
  ].join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function readPorts(file: string): { port: number; controllerPort: number } | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { port, controllerPort } = parsed as Record<string, unknown>;
    return typeof port === 'number' && typeof controllerPort === 'number' ? { port, controllerPort } : null;
  } catch {
    return null;
  }
}

function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts Apache Kafka and resolves once it has started and accepts connections. Fetches the release first if the
 * cache lacks it. Rejects with an {@link ApacheKafkaUnavailable} that says what to do when Java or the download is
 * missing, the port is taken, or the broker exits or does not start in time: never hangs.
 */
export async function startApacheKafka(options: ApacheKafkaOptions = {}): Promise<ApacheKafka> {
  const env = options.env ?? process.env;
  const install = ensureApacheKafka({ env, log: options.log });
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'apache-kafka-'));
  mkdirSync(dataDir, { recursive: true });
  // A kept data dir restarts on the ports it was formatted with: the KRaft voter set records the controller's.
  const portsFile = path.join(dataDir, 'ports.json');
  const previous = readPorts(portsFile);
  const port = options.port && options.port > 0 ? options.port : (previous?.port ?? (await freePort()));
  if (!(await portIsFree(port))) {
    throw new ApacheKafkaUnavailable(
      `port ${port} on ${HOST} is already in use: stop whatever listens there or choose another port (--port 0 picks a free one).`,
    );
  }
  const controllerPort = previous?.controllerPort ?? (await freePort());
  writeFileSync(portsFile, JSON.stringify({ port, controllerPort }));
  const logDir = path.join(dataDir, 'kraft-logs');
  const configFile = path.join(dataDir, 'server.properties');
  const log4jFile = path.join(dataDir, 'log4j2.properties');
  const logFile = path.join(dataDir, 'server.log');
  writeFileSync(configFile, serverProperties(port, controllerPort, logDir, options.advertisedPort));
  writeFileSync(log4jFile, log4j2Properties(logFile));

  const classPath = path.join(install.libDir, '*');
  const jvm = [
    '-Xms256m',
    '-Xmx1g',
    '-XX:+UseG1GC',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4jFile}`,
    '-cp',
    classPath,
  ];

  // KRaft storage is formatted once per log dir; a kept data dir is started as it is (its cluster id stays).
  if (!existsSync(path.join(logDir, 'meta.properties'))) {
    const formatted = spawnSync(
      install.java,
      [
        ...jvm,
        'kafka.tools.StorageTool',
        'format',
        '--standalone',
        `--cluster-id=${clusterId()}`,
        '-c',
        configFile,
      ],
      { encoding: 'utf8', env, timeout: 60_000 },
    );
    if (formatted.status !== 0) {
      throw new ApacheKafkaUnavailable(
        `formatting KRaft storage in ${logDir} failed:\n${`${formatted.stdout}${formatted.stderr}`.trim()}`,
      );
    }
  }

  options.log?.(`starting Apache Kafka ${install.version} on ${HOST}:${port} (log ${logFile})`);
  const stdoutFile = path.join(dataDir, 'stdout.log');
  const out = openSync(stdoutFile, 'a');
  const child: ChildProcess = spawn(install.java, [...jvm, 'kafka.Kafka', configFile], {
    env,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exited === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exit;
        clearTimeout(killer);
      }
      // The small config and log files stay behind for a post-mortem; the records go.
      if (temporary) rmSync(logDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  for (;;) {
    if (exited !== null) {
      const { code, signal } = exited;
      const log = `${tail(logFile)}\n${tail(stdoutFile, 10)}`;
      const cause = /Address already in use/.test(log)
        ? ` (port ${port} or ${controllerPort} is in use)`
        : '';
      throw new ApacheKafkaUnavailable(
        `Apache Kafka exited during start with ${signal ?? `code ${code}`}${cause}; its log: ${logFile}\n${log}`,
      );
    }
    if (/Kafka Server started/.test(tail(logFile, 200)) && (await accepts(port))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new ApacheKafkaUnavailable(
        `Apache Kafka did not start within ${options.startTimeoutMs ?? 90_000} ms; its log: ${logFile}\n${tail(logFile)}`,
      );
    }
    await sleep(100);
  }

  return {
    bootstrap: `${HOST}:${port}`,
    port,
    version: install.version,
    logFile,
    dataDir,
    pid: child.pid ?? -1,
    stop,
  };
}

/**
 * A KRaft cluster id: 16 random bytes, base64url without padding, as `kafka-storage random-uuid` prints. Like Kafka's
 * own Uuid, never one that starts with '-', which a command line would read as an option.
 */
export function clusterId(): string {
  for (;;) {
    const id = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
