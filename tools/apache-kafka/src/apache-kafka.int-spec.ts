import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startApacheKafka } from './apache-kafka';
import { ApacheKafkaUnavailable, ensureApacheKafka, findJava, KAFKA_VERSION } from './install';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../../..');
const hasJava = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
if (!hasJava && !process.env['CI']) console.warn('no Java here: the tests that run Apache Kafka are skipped');
// CI has Java (.ci/run installs it): there a missing Java fails these tests instead of skipping them.
const withJava = hasJava || process.env['CI'] ? it : it.skip;

/** A PATH holding only a folder with `node` and the given fake tools, so that `java` or `mvn` can be taken away. */
function pathWith(tools: Record<string, string>): { PATH: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'apache-kafka-path-'));
  for (const [name, script] of Object.entries(tools)) {
    writeFileSync(path.join(dir, name), `#!/bin/sh\n${script}\n`);
    chmodSync(path.join(dir, name), 0o755);
  }
  return { PATH: dir, dir };
}

describe('Apache Kafka for tests', () => {
  withJava('starts, takes records with keys and headers, serves them back, and stops', async () => {
    const kafka = await startApacheKafka();
    try {
      expect(kafka.version).toBe(KAFKA_VERSION);
      const client = new Kafka({
        clientId: 'launcher-test',
        brokers: [kafka.bootstrap],
        logLevel: logLevel.NOTHING,
      });
      const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      await producer.send({
        topic: 'launcher',
        acks: -1,
        messages: [{ key: 'k', value: 'v', headers: { ce_type: 'test' } }],
      });
      await producer.disconnect();
      const consumer = client.consumer({ groupId: 'launcher-test' });
      await consumer.connect();
      await consumer.subscribe({ topic: 'launcher', fromBeginning: true });
      const seen = await new Promise<{ key: string; value: string; type: string }>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) =>
            resolve({
              key: String(message.key),
              value: String(message.value),
              type: String(message.headers?.['ce_type']),
            }),
        });
      });
      await consumer.disconnect();
      expect(seen).toEqual({ key: 'k', value: 'v', type: 'test' });
    } finally {
      await kafka.stop();
    }
  });

  withJava('keeps its records in a data dir across a restart, on the same ports', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'apache-kafka-kept-'));
    try {
      const first = await startApacheKafka({ dataDir });
      const client = (bootstrap: string) =>
        new Kafka({ clientId: 'restart-test', brokers: [bootstrap], logLevel: logLevel.NOTHING });
      const producer = client(first.bootstrap).producer();
      await producer.connect();
      await producer.send({ topic: 'kept', acks: -1, messages: [{ value: 'one' }, { value: 'two' }] });
      await producer.disconnect();
      await first.stop();

      const second = await startApacheKafka({ dataDir });
      try {
        expect(second.port).toBe(first.port);
        const admin = client(second.bootstrap).admin();
        await admin.connect();
        const offsets = await admin.fetchTopicOffsets('kept');
        await admin.disconnect();
        expect(offsets.map((o) => o.high)).toEqual(['2']);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  withJava('refuses a port that is taken, saying which, without starting a JVM', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const started = Date.now();
      await expect(startApacheKafka({ port })).rejects.toThrow(
        new ApacheKafkaUnavailable(
          `port ${port} on 127.0.0.1 is already in use: stop whatever listens there or choose another port (--port 0 picks a free one).`,
        ),
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      server.close();
    }
  });

  it('without Java says so and what to do', () => {
    const { PATH, dir } = pathWith({});
    try {
      expect(() => findJava({ PATH })).toThrow(/needs Java 17 or newer, and no `java` on PATH/);
      expect(() => findJava({ PATH, JAVA_HOME: '/nonexistent/jdk' })).toThrow(
        /JAVA_HOME=\/nonexistent\/jdk has no working bin\/java/,
      );
      expect(() => findJava({ PATH: `${dir}:${process.env['PATH'] ?? ''}`, JAVA_HOME: dir })).toThrow(
        ApacheKafkaUnavailable,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a Java older than 17', () => {
    const { PATH, dir } = pathWith({ java: `echo 'openjdk version "11.0.22" 2024-01-16' >&2` });
    try {
      expect(() => findJava({ PATH })).toThrow(/needs Java 17 or newer; java is 11/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  withJava(
    'a fetch that cannot work names the artifact and the cause, and leaves no half-filled cache',
    () => {
      const cache = mkdtempSync(path.join(tmpdir(), 'apache-kafka-cache-'));
      // The JDK that runs here, named by JAVA_HOME, so that PATH can hold a fake Maven or none.
      const javaHome =
        process.env['JAVA_HOME'] ??
        path.dirname(
          path.dirname(
            realpathSync(spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).stdout.trim()),
          ),
        );
      const noMaven = pathWith({});
      const offline = pathWith({
        mvn: `[ "$1" = --version ] && exit 0; echo "[ERROR] Could not transfer artifact org.apache.kafka:kafka_2.13:pom: Network is unreachable"; exit 1`,
      });
      try {
        expect(() =>
          ensureApacheKafka({ env: { PATH: noMaven.PATH, JAVA_HOME: javaHome, APACHE_KAFKA_CACHE: cache } }),
        ).toThrow(/fetching it needs Maven, but `mvn` does not run/);
        expect(() =>
          ensureApacheKafka({ env: { PATH: offline.PATH, JAVA_HOME: javaHome, APACHE_KAFKA_CACHE: cache } }),
        ).toThrow(
          new RegExp(
            `Maven could not fetch org.apache.kafka:kafka_2.13:${KAFKA_VERSION}.*Network is unreachable`,
            's',
          ),
        );
        expect(spawnSync('ls', ['-A', path.join(cache, KAFKA_VERSION)]).stdout.toString()).toBe('');
      } finally {
        for (const dir of [cache, noMaven.dir, offline.dir]) rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('npm run kafka refuses a bad port before fetching anything', () => {
    const run = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', 'tools/apache-kafka/src/cli.ts', '--port', 'abc'],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--port needs a whole number in 0..65535, got 'abc'");
  });
});
