import { hostname } from 'node:os';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { CURRENT_TOPICS, predecessorOf } from '@tandem/contracts';
import {
  checkKafka,
  createKafka,
  ensureTopics,
  eventTopicSpecs,
  topicNames,
  type TopicNames,
} from '@tandem/platform/kafka';
import type { Logger } from '@tandem/platform/observability';
import type { ReadinessCheck } from '@tandem/platform/http';
import { createReadDataSource, migrateReadDatabase, type ProjectionName } from '@tandem/read/models';
import {
  BatchApplier,
  consumerGroupOf,
  listPendingDeadLetters,
  PROJECTIONS,
  ProjectionConsumer,
  ProjectionRebuilds,
  ProjectionStatusReader,
  replayDeadLetter,
  type GroupLiveness,
  type ProjectionStatusView,
  type RebuildRecord,
  type RebuildStart,
  type ReplayOutcome,
} from '@tandem/read/projections';
import type { ProjectionServiceConfig } from '../config';

interface RunningProjection {
  name: ProjectionName;
  applier: BatchApplier;
  consumer: ProjectionConsumer;
}

/**
 * Owns the projection service's resources: the read-DB pool, the Kafka clients and one consumer group per
 * projection, and wires the library's parts to them (rebuilds, status, dead-letter replay). Started once the HTTP
 * server listens (so probes and operators reach it while the groups join), stopped on shutdown (rebuilds first,
 * then consumers, so the batch in flight commits before the pool closes).
 */
export class ProjectionRunner {
  readonly dataSource: DataSource;
  readonly kafka: Kafka;
  private readonly topics: TopicNames;
  private producer: Producer | null = null;
  private admin: Admin | null = null;
  private statusReader: ProjectionStatusReader | null = null;
  private readonly running = new Map<ProjectionName, RunningProjection>();
  private started = false;
  /** What the service is doing while it is not yet consuming: the readiness check's answer. */
  private startingStep = 'not started';
  private readonly joining = new Set<ProjectionName>();
  private readonly rebuilds: ProjectionRebuilds;

  constructor(
    private readonly config: ProjectionServiceConfig,
    private readonly logger: Logger,
  ) {
    this.dataSource = createReadDataSource({
      url: config.READ_DATABASE_URL,
      poolSize: 10,
      applicationName: 'projection-service',
    });
    this.kafka = createKafka({ clientId: 'projection-service', brokers: config.KAFKA_BROKERS, logger });
    this.topics = topicNames(config.KAFKA_TOPIC_PREFIX);
    this.rebuilds = new ProjectionRebuilds({
      dataSource: this.dataSource,
      databaseUrl: config.READ_DATABASE_URL,
      owner: `${hostname()}/${process.pid}`,
      kafka: this.kafka,
      admin: () => this.admin,
      topicNames: this.topics,
      groupPrefix: config.KAFKA_GROUP_PREFIX,
      liveness: this.liveness(),
      logger,
    });
  }

  /** Connects to the read DB and applies migrations (unless RUN_MIGRATIONS=false). */
  async prepareDatabase(): Promise<void> {
    this.startingStep = 'connecting to the read database and Kafka';
    await this.dataSource.initialize();
    this.startingStep = 'migrating the read database';
    if (this.config.RUN_MIGRATIONS) {
      const applied = await migrateReadDatabase(this.dataSource);
      if (applied.length > 0) this.logger.info({ migrations: applied }, 'read database migrated');
    }
  }

  /** The topics, the dead-letter producer and the admin client; independent of the read DB, so run beside it. */
  async connectKafka(): Promise<void> {
    await ensureTopics(
      this.kafka,
      eventTopicSpecs({ names: this.topics, partitions: this.config.TOPIC_PARTITIONS, deadLetters: true }),
    ).catch((error: unknown) => {
      // Another service may create the same topics at the same moment; the subscribe below still needs them.
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'ensuring topics failed',
      );
    });
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.admin = this.kafka.admin();
    await this.admin.connect();
    await this.checkReplacedTopics(this.admin);
    this.statusReader = new ProjectionStatusReader(this.dataSource, this.admin, this.config.STALL_AFTER_MS);
  }

  /**
   * A topic that replaced another must have as many partitions: its partitions are locked under the other's names,
   * which only keeps two releases' projections off one stream if a key has the same partition number on both.
   */
  private async checkReplacedTopics(admin: Admin): Promise<void> {
    const existing = new Set(await admin.listTopics());
    for (const topic of CURRENT_TOPICS) {
      const predecessor = predecessorOf(topic);
      const names = predecessor ? [topic, predecessor].map((t) => this.topics.onCluster(t)) : [];
      if (names.length === 0 || !names.every((name) => existing.has(name))) continue;
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const counts = Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]));
      if (new Set(Object.values(counts)).size > 1) {
        this.logger.error(
          { partitions: counts },
          `${topic} and ${predecessor} have different partition counts: while projections of the release before ` +
            `${topic} still run, the two may apply one stream at once (docs/services.md, "Rolling out OrderLineAdded.v2")`,
        );
      }
    }
  }

  /**
   * Joins one consumer group per projection, all at once: each join waits for its group's rebalance (after a crash,
   * for the dead members' sessions to expire), and the groups are independent, so joining them one after the
   * other would add those waits up. Needs `prepareDatabase` and `connectKafka` done.
   */
  async joinGroups(): Promise<void> {
    const names = this.config.PROJECTIONS as ProjectionName[];
    for (const name of names) this.joining.add(name);
    this.startingStep = 'joining consumer groups';
    await Promise.all(
      names.map(async (name) => {
        await this.startProjection(name, new BatchApplier(this.dataSource, PROJECTIONS[name]));
        this.joining.delete(name);
      }),
    );
    this.started = true;
  }

  private async startProjection(name: ProjectionName, applier: BatchApplier): Promise<void> {
    const consumer = new ProjectionConsumer({
      kafka: this.kafka,
      applier,
      groupId: `${this.config.KAFKA_GROUP_PREFIX}.${consumerGroupOf(applier.projection)}`,
      topicNames: this.topics,
      logger: this.logger.child({ projection: name }),
      ...(this.producer ? { producer: this.producer } : {}),
      liveness: this.liveness(),
      offsetCommitIntervalMs: this.config.KAFKA_OFFSET_COMMIT_INTERVAL_MS,
    });
    await consumer.start();
    this.running.set(name, { name, applier, consumer });
    this.logger.info({ projection: name, groupId: consumer.groupId }, 'projection consuming');
  }

  private liveness(): GroupLiveness {
    return {
      sessionTimeoutMs: this.config.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: this.config.KAFKA_HEARTBEAT_INTERVAL_MS,
      rebalanceTimeoutMs: this.config.KAFKA_REBALANCE_TIMEOUT_MS,
    };
  }

  /** Whether a rebuild of `name` runs, on this replica or another. */
  isRebuilding(name: ProjectionName): Promise<boolean> {
    return this.rebuilds.isRebuilding(name);
  }

  /**
   * Starts a rebuild and returns once it is under way (`started` false: one already runs, here or on another
   * replica); `status()` shows `rebuilding` on every replica until it is swapped in.
   */
  startRebuild(name: ProjectionName): Promise<RebuildStart> {
    return this.rebuilds.start(name, PROJECTIONS[name]);
  }

  private clusterTopics(applier: BatchApplier): string[] {
    return applier.projection.topics.map((topic) => this.topics.onCluster(topic));
  }

  async stop(): Promise<void> {
    await this.rebuilds.stop();
    await Promise.all([...this.running.values()].map((p) => p.consumer.stop()));
    this.running.clear();
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  readinessChecks(): ReadinessCheck[] {
    return [
      {
        name: 'read-database',
        check: async () => {
          if (!this.dataSource.isInitialized) throw new Error('not connected yet');
          await this.dataSource.query('SELECT 1');
        },
      },
      { name: 'kafka', check: () => checkKafka(this.kafka) },
      {
        name: 'projections',
        check: async () => {
          if (this.started) return;
          const joining = [...this.joining];
          throw new Error(
            joining.length > 0
              ? `still starting: ${this.startingStep} (${joining.join(', ')} not joined yet)`
              : `still starting: ${this.startingStep}`,
          );
        },
      },
    ];
  }

  names(): ProjectionName[] {
    return [...this.running.keys()];
  }

  async status(): Promise<Array<ProjectionStatusView & { lastRebuild: RebuildRecord | null }>> {
    const reader = this.statusReader;
    if (!reader) return [];
    return Promise.all(
      [...this.running.values()].map(async (p) => {
        const lastRebuild = await this.rebuilds.lastRebuild(p.name);
        const rebuilding = lastRebuild?.outcome === 'running';
        return {
          ...(await reader.read(p.consumer, this.clusterTopics(p.applier), rebuilding)),
          lastRebuild,
        };
      }),
    );
  }

  async deadLetters(name: ProjectionName, limit: number): Promise<Array<Record<string, unknown>>> {
    return listPendingDeadLetters(this.dataSource, name, limit);
  }

  async replay(name: ProjectionName, id: string, correctedPayload?: string): Promise<ReplayOutcome> {
    const projection = this.running.get(name);
    if (!projection) return { status: 'not-found' };
    return replayDeadLetter(projection.applier, id, correctedPayload);
  }
}
