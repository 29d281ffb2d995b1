import type { Admin, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { TopicNames } from '@tandem/platform/kafka';
import type { Logger } from '@tandem/platform/observability';
import { READ_MODEL_TABLES, type ProjectionName } from '@tandem/read/models';
import { BatchApplier } from '../runtime/batch-applier';
import type { GroupLiveness } from '../runtime/group-liveness';
import { ProjectionConsumer } from '../runtime/projection-consumer';
import { consumerLag } from '../status/consumer-lag';
import { createRebuildTables, REBUILD_SUFFIX, swapInRebuiltTables } from './table-swap';

/** The last rebuild of a projection since the service started: what `npm run projection:rebuild` waits on. */
export interface RebuildRecord {
  startedAt: string;
  finishedAt: string | null;
  outcome: 'running' | 'swapped' | 'failed';
  error: string | null;
}

/** A projection as it runs live, for its rebuild to pause and resume. */
export interface LiveProjection {
  applier: BatchApplier;
  /** Stops the live consumer; resolves once its batch in flight has committed. */
  stop(): Promise<void>;
  /** Starts a live consumer again, from its group's committed offsets. */
  resume(): Promise<void>;
}

export interface ProjectionRebuildsOptions {
  dataSource: DataSource;
  kafka: Kafka;
  /** The admin client once it is connected; a rebuild asked for before fails. */
  admin: () => Admin | null;
  topicNames: TopicNames;
  /** A rebuild's consumer group is `<groupPrefix>.<name>.rebuild.<time>`. */
  groupPrefix: string;
  liveness: GroupLiveness;
  logger: Logger;
}

/**
 * Rebuilds of the projections a service runs, one at a time per projection: each fills copies of the projection's
 * tables from offset 0 while the live ones keep serving and updating, then swaps them in (table-swap.ts).
 */
export class ProjectionRebuilds {
  private readonly rebuilding = new Map<ProjectionName, Promise<void>>();
  private readonly last = new Map<ProjectionName, RebuildRecord>();
  private stopping = false;

  constructor(private readonly options: ProjectionRebuildsOptions) {}

  isRebuilding(name: ProjectionName): boolean {
    return this.rebuilding.has(name);
  }

  lastRebuild(name: ProjectionName): RebuildRecord | null {
    return this.last.get(name) ?? null;
  }

  /**
   * Starts a rebuild of a live projection (undefined: it does not run here, and the rebuild fails) and returns at
   * once, or says the one already running; `done` settles when it is finished (tests wait on it).
   */
  start(
    name: ProjectionName,
    live: LiveProjection | undefined,
  ): { started: boolean; done: Promise<void>; record: RebuildRecord } {
    const existing = this.rebuilding.get(name);
    const current = this.last.get(name);
    if (existing && current) return { started: false, done: existing, record: current };
    const record: RebuildRecord = {
      startedAt: new Date().toISOString(),
      finishedAt: null,
      outcome: 'running',
      error: null,
    };
    this.last.set(name, record);
    const done = this.rebuild(name, live)
      .then(() => {
        record.outcome = 'swapped';
      })
      .catch((error: unknown) => {
        record.outcome = 'failed';
        record.error = error instanceof Error ? error.message : String(error);
        this.options.logger.error({ projection: name, err: record.error }, 'rebuild failed');
      })
      .finally(() => {
        record.finishedAt = new Date().toISOString();
        this.rebuilding.delete(name);
      });
    this.rebuilding.set(name, done);
    return { started: true, done, record };
  }

  /** Abandons the rebuilds under way (the live tables stay) and waits for them to wind down. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.rebuilding.values()]);
  }

  /**
   * Rebuild from offset 0 into copies of the projection's tables while the live ones keep serving and updating.
   * Once the copy has caught up with the log, the live consumer is stopped, the copy catches up with what arrived
   * meanwhile, and the tables and bookkeeping are swapped in one transaction. The live group then resumes from its
   * own committed offsets: anything it re-reads is at or below the new checkpoints, so it changes nothing.
   */
  private async rebuild(name: ProjectionName, live: LiveProjection | undefined): Promise<void> {
    const { dataSource, kafka, topicNames, liveness } = this.options;
    const admin = this.options.admin();
    if (!live || !admin) throw new Error(`${name} is not running`);
    const namespace = `${name}@rebuild`;
    const tables = READ_MODEL_TABLES[name];
    const logger = this.options.logger.child({ projection: name, rebuild: true });
    await createRebuildTables(dataSource, tables, namespace);
    const applier = new BatchApplier(dataSource, live.applier.projection, {
      namespace,
      table: (table) => `${table}${REBUILD_SUFFIX}`,
    });
    const groupId = `${this.options.groupPrefix}.${name}.rebuild.${Date.now()}`;
    const copy = new ProjectionConsumer({ kafka, applier, groupId, logger, topicNames, liveness });
    logger.info({ groupId }, 'rebuild started');
    await copy.start();
    const topics = live.applier.projection.topics.map((topic) => topicNames.onCluster(topic));
    let liveStopped = false;
    try {
      await this.untilCaughtUp(admin, groupId, topics);
      await live.stop();
      liveStopped = true;
      await this.untilCaughtUp(admin, groupId, topics);
      await copy.stop();
      await swapInRebuiltTables(dataSource, tables, name, namespace);
    } finally {
      await copy.stop();
      // Whether the swap happened or the rebuild failed, the live projection consumes again.
      if (liveStopped && !this.stopping) await live.resume();
    }
    await admin.deleteGroups([groupId]).catch(() => undefined);
    logger.info('rebuild swapped in');
  }

  private async untilCaughtUp(admin: Admin, groupId: string, topics: readonly string[]): Promise<void> {
    for (;;) {
      if (this.stopping) throw new Error('the service is stopping: rebuild abandoned, the live tables stay');
      const lag = await consumerLag(admin, groupId, topics);
      if (!lag.some((partition) => partition.messages > 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
