// Fetches the pinned Apache Kafka release's jars from Maven Central once, into a cache folder that git ignores.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Keep in step with `kafka.version` in tools/apache-kafka/pom.xml. */
export const KAFKA_VERSION = '4.4.0';

const ROOT = path.resolve(__dirname, '../../..');
const POM = path.join(ROOT, 'tools/apache-kafka/pom.xml');
const MIN_JAVA = 17;

/** A step that cannot work on this machine; the message says which and what to do. */
export class ApacheKafkaUnavailable extends Error {
  override readonly name = 'ApacheKafkaUnavailable';
}

export interface KafkaInstallation {
  version: string;
  /** The folder of jars: the class path is `<libDir>/*`. */
  libDir: string;
  /** The `java` executable that runs it. */
  java: string;
}

/** `APACHE_KAFKA_CACHE` moves the cache (e.g. to share it between clones); default `<repo>/.cache/apache-kafka`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['APACHE_KAFKA_CACHE'] ?? path.join(ROOT, '.cache/apache-kafka');
}

/** `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java` from PATH; refused below Java 17. */
export function findJava(env: NodeJS.ProcessEnv = process.env): string {
  const home = env['JAVA_HOME'];
  const java = home ? path.join(home, 'bin', 'java') : 'java';
  const probe = spawnSync(java, ['-version'], { encoding: 'utf8', env });
  if (probe.error || probe.status !== 0) {
    const where = home ? `JAVA_HOME=${home} has no working bin/java` : 'no `java` on PATH';
    throw new ApacheKafkaUnavailable(
      `Apache Kafka needs Java ${MIN_JAVA} or newer, and ${where}. Install a JDK ` +
        `(apt-get install -y openjdk-17-jdk-headless) or set JAVA_HOME; without Java, the tests run on the ` +
        `development broker (unset TEST_KAFKA_BROKERS).`,
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0;
  if (major < MIN_JAVA) {
    throw new ApacheKafkaUnavailable(
      `Apache Kafka ${KAFKA_VERSION} needs Java ${MIN_JAVA} or newer; ${java} is ${match ? major : 'of an unknown version'}. Set JAVA_HOME to a newer JDK.`,
    );
  }
  return java;
}

/**
 * Returns the installed release, fetching it with Maven first when the cache lacks it. The jars are copied into a
 * temporary folder and renamed into place at the end, so an interrupted fetch never leaves a half-filled cache.
 */
export function ensureApacheKafka(
  options: { env?: NodeJS.ProcessEnv; log?: (line: string) => void } = {},
): KafkaInstallation {
  const env = options.env ?? process.env;
  const java = findJava(env);
  const libDir = path.join(cacheDir(env), KAFKA_VERSION, 'libs');
  if (existsSync(libDir) && readdirSync(libDir).some((f) => f.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
    return { version: KAFKA_VERSION, libDir, java };
  }

  const mvn = spawnSync('mvn', ['--version'], { encoding: 'utf8', env });
  if (mvn.error || mvn.status !== 0) {
    throw new ApacheKafkaUnavailable(
      `Apache Kafka ${KAFKA_VERSION} is not in ${libDir} and fetching it needs Maven, but \`mvn\` does not run ` +
        `(apt-get install -y maven). Or copy the release's libs/ folder there.`,
    );
  }
  options.log?.(`fetching Apache Kafka ${KAFKA_VERSION} with Maven into ${libDir}`);
  const staging = `${libDir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(path.dirname(libDir), { recursive: true });
  const fetched = spawnSync(
    'mvn',
    ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`],
    { encoding: 'utf8', env, timeout: 10 * 60_000 },
  );
  if (fetched.error || fetched.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    const output = `${fetched.stdout ?? ''}${fetched.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new ApacheKafkaUnavailable(
      `Maven could not fetch org.apache.kafka:kafka_2.13:${KAFKA_VERSION}` +
        `${fetched.error ? ` (${fetched.error.message})` : ''}. Check that Maven Central is reachable ` +
        `(network, proxy, ~/.m2/settings.xml), then run again. Maven said:\n${output}`,
    );
  }
  writeFileSync(path.join(staging, 'FETCHED-BY'), `mvn dependency:copy-dependencies -f ${POM}\n`);
  rmSync(libDir, { recursive: true, force: true });
  renameSync(staging, libDir);
  return { version: KAFKA_VERSION, libDir, java };
}
