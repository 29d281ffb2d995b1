import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApacheKafka, type ApacheKafka } from '@tandem/apache-kafka';
import { freePort } from '@tandem/dev-stack';
import { startKafkaProxy, type KafkaProxy } from './kafka-proxy';

export type BrokerKind = 'apache' | 'dev';

/**
 * The fault test's own Kafka: Apache Kafka (its own JVM and data dir) or, with `--broker dev`, the development broker
 * in a process of its own, either behind the proxy that every client goes through (kafka-proxy.ts). Killed with
 * SIGKILL and started again on the same data dir and ports for the Kafka fault.
 */
export interface ChaosKafka {
  readonly kind: BrokerKind;
  readonly name: string;
  /** What every client connects to: the proxy. */
  readonly bootstrap: string;
  readonly proxy: KafkaProxy;
  /** The broker process's pid (the JVM's for Apache Kafka). */
  pid(): number;
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../../..');

async function gone(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startChaosKafka(kind: BrokerKind, log: (line: string) => void): Promise<ChaosKafka> {
  const brokerPort = await freePort();
  const proxy = await startKafkaProxy({ host: '127.0.0.1', port: brokerPort });
  const dataDir = mkdtempSync(path.join(tmpdir(), `tandem-chaos-${kind}-kafka-`));
  let apache: ApacheKafka | null = null;
  let dev: ChildProcess | null = null;
  let version = '';

  const start = async (): Promise<void> => {
    if (kind === 'apache') {
      const started = await startApacheKafka({ port: brokerPort, advertisedPort: proxy.port, dataDir, log });
      apache = started;
      version = started.version;
      return;
    }
    const child = spawn(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        path.join(__dirname, 'dev-broker-process.ts'),
        String(brokerPort),
        String(proxy.port),
        dataDir,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    dev = child;
    child.stderr?.on('data', (chunk: Buffer) => log(`dev broker: ${chunk.toString().trimEnd()}`));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('listening')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the dev broker exited with ${code} before listening`)));
    });
  };
  await start();

  const pid = (): number => {
    const running: { pid?: number } | null = kind === 'apache' ? apache : dev;
    return running?.pid ?? -1;
  };
  return {
    kind,
    name: kind === 'apache' ? `Apache Kafka ${version}` : 'kafka-dev-broker',
    bootstrap: `127.0.0.1:${proxy.port}`,
    proxy,
    pid,
    async kill() {
      const victim = pid();
      process.kill(victim, 'SIGKILL');
      await gone(victim);
      await apache?.stop();
      apache = null;
      dev = null;
    },
    start,
    async stop() {
      await apache?.stop();
      if (dev && dev.exitCode === null) {
        const exited = new Promise((resolve) => dev?.once('exit', resolve));
        dev.kill('SIGTERM');
        await exited;
      }
      await proxy.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
