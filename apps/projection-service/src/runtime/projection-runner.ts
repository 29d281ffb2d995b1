import type { Admin, Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { EVENT_TOPICS } from '@tandem/contracts';
import { checkKafka, createKafka, ensureTopics, topicNames, type TopicNames } from '@tandem/platform/kafka';
import type { Logger } from '@tandem/platform/observability';
import type { ReadinessCheck } from '@tandem/platform/http';
import {
  createReadDataSource,
  migrateReadDatabase,
  READ_MODEL_TABLES,
  type ProjectionName,
} from '@tandem/read/models';
import {
  BatchApplier,
  createRebuildTables,
  deadLetterTopic,
  REBUILD_SUFFIX,
  swapInRebuiltTables,
  PROJECTIONS,
  ProjectionConsumer,
  ProjectionStatusReader,
  replayDeadLetter,
  type GroupLiveness,
  type ProjectionStatusView,
  type ReplayOutcome,
} from '@tandem/read/projections';
import type { ProjectionServiceConfig } from '../config';

/** The last rebuild of a projection since the service started: what `npm run projection:rebuild` waits on. */
export interface RebuildRecord {
  startedAt: string;
  finishedAt: string | null;
  outcome: 'running' | 'swapped' | 'failed';
  error: string | null;
}

interface RunningProjection {
  name: ProjectionName;
  applier: BatchApplier;
  consumer: ProjectionConsumer;
}

/**
 * Owns the projection service's resources: the read-DB pool, the Kafka clients and one consumer group per
 * projection. Started once the HTTP server listens (so probes and operators reach it while the groups join),
 * stopped on shutdown (consumers first, so the batch in flight commits before the pool closes).
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
  private stopping = false;
  private readonly rebuilding = new Map<ProjectionName, Promise<void>>();
  private readonly lastRebuild = new Map<ProjectionName, RebuildRecord>();

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
    await ensureTopics(this.kafka, [
      ...EVENT_TOPICS.map((topic) => ({
        topic: this.topics.onCluster(topic),
        numPartitions: this.config.TOPIC_PARTITIONS,
      })),
      ...EVENT_TOPICS.map((topic) => ({
        topic: this.topics.onCluster(deadLetterTopic(topic)),
        numPartitions: 1,
      })),
    ]).catch((error: unknown) => {
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
    this.statusReader = new ProjectionStatusReader(this.dataSource, this.admin, this.config.STALL_AFTER_MS);
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
      groupId: `${this.config.KAFKA_GROUP_PREFIX}.${name}`,
      topicNames: this.topics,
      logger: this.logger.child({ projection: name }),
      ...(this.producer ? { producer: this.producer } : {}),
      liveness: this.liveness(),
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

  isRebuilding(name: ProjectionName): boolean {
    return this.rebuilding.has(name);
  }

  /**
   * Starts a rebuild and returns at once; `status()` shows `rebuilding` until it is swapped in. Resolves the
   * returned promise's `done` when finished (tests wait on it).
   */
  startRebuild(name: ProjectionName): { started: boolean; done: Promise<void>; record: RebuildRecord } {
    const existing = this.rebuilding.get(name);
    const current = this.lastRebuild.get(name);
    if (existing && current) return { started: false, done: existing, record: current };
    const record: RebuildRecord = {
      startedAt: new Date().toISOString(),
      finishedAt: null,
      outcome: 'running',
      error: null,
    };
    this.lastRebuild.set(name, record);
    const done = this.rebuild(name)
      .then(() => {
        record.outcome = 'swapped';
      })
      .catch((error: unknown) => {
        record.outcome = 'failed';
        record.error = error instanceof Error ? error.message : String(error);
        this.logger.error({ projection: name, err: record.error }, 'rebuild failed');
      })
      .finally(() => {
        record.finishedAt = new Date().toISOString();
        this.rebuilding.delete(name);
      });
    this.rebuilding.set(name, done);
    return { started: true, done, record };
  }

  /**
   * Rebuild from offset 0 into copies of the projection's tables while the live ones keep serving and updating.
   * Once the copy has caught up with the log, the live consumer is stopped, the copy catches up with what arrived
   * meanwhile, and the tables and bookkeeping are swapped in one transaction. The live group then resumes from its
   * own committed offsets: anything it re-reads is at or below the new checkpoints, so it changes nothing.
   */
  private async rebuild(name: ProjectionName): Promise<void> {
    const live = this.running.get(name);
    const admin = this.admin;
    if (!live || !admin) throw new Error(`${name} is not running`);
    const namespace = `${name}@rebuild`;
    const tables = READ_MODEL_TABLES[name];
    const logger = this.logger.child({ projection: name, rebuild: true });
    await createRebuildTables(this.dataSource, tables, namespace);
    const applier = new BatchApplier(this.dataSource, live.applier.projection, {
      namespace,
      table: (table) => `${table}${REBUILD_SUFFIX}`,
    });
    const groupId = `${this.config.KAFKA_GROUP_PREFIX}.${name}.rebuild.${Date.now()}`;
    const copy = new ProjectionConsumer({
      kafka: this.kafka,
      applier,
      groupId,
      logger,
      topicNames: this.topics,
      liveness: this.liveness(),
    });
    logger.info({ groupId }, 'rebuild started');
    await copy.start();
    let liveStopped = false;
    try {
      await this.untilCaughtUp(groupId, this.clusterTopics(live.applier));
      await live.consumer.stop();
      liveStopped = true;
      await this.untilCaughtUp(groupId, this.clusterTopics(live.applier));
      await copy.stop();
      await swapInRebuiltTables(this.dataSource, tables, name, namespace);
    } finally {
      await copy.stop();
      // Whether the swap happened or the rebuild failed, the live projection consumes again.
      if (liveStopped && !this.stopping) await this.startProjection(name, live.applier);
    }
    await admin.deleteGroups([groupId]).catch(() => undefined);
    logger.info('rebuild swapped in');
  }

  private clusterTopics(applier: BatchApplier): string[] {
    return applier.projection.topics.map((topic) => this.topics.onCluster(topic));
  }

  private async untilCaughtUp(groupId: string, topics: readonly string[]): Promise<void> {
    const admin = this.admin;
    if (!admin) return;
    for (;;) {
      if (this.stopping) throw new Error('the service is stopping: rebuild abandoned, the live tables stay');
      const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
      let behind = false;
      for (const topic of topics) {
        const ofTopic = committed.find((c) => c.topic === topic)?.partitions ?? [];
        for (const end of await admin.fetchTopicOffsets(topic)) {
          const at = ofTopic.find((p) => p.partition === end.partition)?.offset ?? '-1';
          const position = at === '-1' ? BigInt(end.low) : BigInt(at);
          if (position < BigInt(end.high)) behind = true;
        }
      }
      if (!behind) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.rebuilding.values()]);
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
      [...this.running.values()].map(async (p) => ({
        ...(await reader.read(p.consumer, this.clusterTopics(p.applier), this.rebuilding.has(p.name))),
        lastRebuild: this.lastRebuild.get(p.name) ?? null,
      })),
    );
  }

  async deadLetters(name: ProjectionName, limit: number): Promise<Array<Record<string, unknown>>> {
    return this.dataSource.query(
      `SELECT id::text AS id, topic, partition, "offset"::text AS "offset", stream_id AS "streamId",
              stream_version AS "streamVersion", event_type AS "eventType", reason, error, payload,
              created_at AS "createdAt"
         FROM dead_letters WHERE projection = $1 AND replayed_at IS NULL ORDER BY id LIMIT $2`,
      [name, limit],
    );
  }

  async replay(name: ProjectionName, id: string, correctedPayload?: string): Promise<ReplayOutcome> {
    const projection = this.running.get(name);
    if (!projection) return { status: 'not-found' };
    return replayDeadLetter(projection.applier, id, correctedPayload);
  }
}
