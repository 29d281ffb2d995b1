import type { Admin, Kafka } from 'kafkajs';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { TopicNames } from '@tandem/platform/kafka';
import type { Logger } from '@tandem/platform/observability';
import { READ_MODEL_TABLES, type ProjectionName } from '@tandem/read/models';
import { BatchApplier } from '../runtime/batch-applier';
import type { GroupLiveness } from '../runtime/group-liveness';
import type { Projection } from '../runtime/projection';
import { ProjectionConsumer } from '../runtime/projection-consumer';
import type { Queryable } from '../runtime/queryable';
import { consumerLag } from '../status/consumer-lag';
import { closeGate, tryOwnRebuild } from './rebuild-gate';
import {
  readRebuildRecord,
  recordCuttingOver,
  recordFailed,
  recordRebuildStarted,
  recordSwapped,
  type RebuildRecord,
} from './rebuild-records';
import { createRebuildTables, REBUILD_SUFFIX, swapInRebuiltTables } from './table-swap';

export type { RebuildRecord } from './rebuild-records';

export interface ProjectionRebuildsOptions {
  dataSource: DataSource;
  /** The read DB, for the rebuild's own session (its locks live and die with it, outside the pool). */
  databaseUrl: string;
  kafka: Kafka;
  /** The admin client once it is connected; a rebuild asked for before fails. */
  admin: () => Admin | null;
  topicNames: TopicNames;
  /** A rebuild's consumer group is `<groupPrefix>.<name>.rebuild.<time>`. */
  groupPrefix: string;
  liveness: GroupLiveness;
  logger: Logger;
  /** Who this process is, in the record of the rebuilds it runs (`host/pid`). */
  owner: string;
  /**
   * How long the cut-over may hold the live consumers at the gate while the copy reads what came meanwhile; past it
   * the rebuild fails and the live tables stay. Default 30 s.
   */
  cutOverTimeoutMs?: number;
}

/** What `start` answers: whether this call began a rebuild, and the record of the one that runs (or last ran). */
export interface RebuildStart {
  started: boolean;
  /** Settles when the rebuild this call began is over (at once when it began none). */
  done: Promise<void>;
  record: RebuildRecord | null;
}

/**
 * Rebuilds of projections, coordinated through the read DB so that any number of projection-service replicas are
 * safe (rebuild-gate.ts): one rebuild of a projection at a time, whichever replica is asked, and during its cut-over
 * no live consumer on any replica commits anything. Each fills copies of the projection's tables from offset 0 while
 * the live ones keep serving and updating, then swaps them in (table-swap.ts); the record of it (rebuild-records.ts)
 * is what every replica reports.
 */
export class ProjectionRebuilds {
  private readonly local = new Map<ProjectionName, Promise<void>>();
  private stopping = false;

  constructor(private readonly options: ProjectionRebuildsOptions) {}

  /** Whether a rebuild of `name` runs, on this replica or another. */
  async isRebuilding(name: ProjectionName): Promise<boolean> {
    return (await this.lastRebuild(name))?.outcome === 'running';
  }

  /** The last rebuild of `name`, whichever replica ran it; null if it never had one. */
  lastRebuild(name: ProjectionName): Promise<RebuildRecord | null> {
    return readRebuildRecord(this.options.dataSource, name);
  }

  /**
   * Starts a rebuild of `projection` and returns once it is under way, or says the one already running (here or on
   * another replica: `started` false). `done` settles when the rebuild it began is over (tests wait on it).
   */
  async start(name: ProjectionName, projection: Projection): Promise<RebuildStart> {
    const session = new Client({
      connectionString: this.options.databaseUrl,
      application_name: 'projection-rebuild',
      keepAlive: true,
    });
    // A broken session fails the rebuild's next statement; the error event must not crash the process meanwhile.
    session.on('error', (error) => this.options.logger.warn({ err: error }, 'rebuild session lost'));
    await session.connect();
    const db = rowsOf(session);
    let owned = false;
    try {
      owned = !this.stopping && (await tryOwnRebuild(db, name));
    } finally {
      if (!owned) await session.end().catch(() => undefined);
    }
    if (!owned) {
      return { started: false, done: Promise.resolve(), record: await this.lastRebuild(name) };
    }
    const logger = this.options.logger.child({ projection: name, rebuild: true });
    let record: RebuildRecord;
    try {
      record = await recordRebuildStarted(db, name, this.options.owner);
    } catch (error) {
      await session.end().catch(() => undefined);
      throw error;
    }
    const done = this.rebuild(name, projection, db, logger)
      .catch(async (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        logger.error({ err: message }, 'rebuild failed; the live tables were kept');
        await recordFailed(this.options.dataSource, name, message).catch(() => undefined);
      })
      .finally(async () => {
        // Ending the session releases the owner lock and the gate, whatever happened.
        await session.end().catch(() => undefined);
        this.local.delete(name);
      });
    this.local.set(name, done);
    return { started: true, done, record };
  }

  /** Abandons the rebuilds this replica runs (the live tables stay) and waits for them to wind down. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.local.values()]);
  }

  /**
   * Rebuild from offset 0 into copies of the projection's tables while the live ones keep serving and updating.
   * Once the copy has caught up with the log, the gate closes (every replica's live batches finish and wait), the
   * copy catches up with what arrived meanwhile, and the tables and bookkeeping are swapped in one transaction on the
   * session that holds the gate. The live consumers then go on from their committed offsets: anything they re-read
   * is at or below the new checkpoints, so it changes nothing.
   */
  private async rebuild(
    name: ProjectionName,
    projection: Projection,
    session: Queryable,
    logger: Logger,
  ): Promise<void> {
    const { dataSource, kafka, topicNames, liveness } = this.options;
    const admin = this.options.admin();
    if (!admin) throw new Error(`${name} cannot be rebuilt before the service has connected to Kafka`);
    const namespace = `${name}@rebuild`;
    const tables = READ_MODEL_TABLES[name];
    await createRebuildTables(dataSource, tables, namespace);
    const applier = new BatchApplier(dataSource, projection, {
      namespace,
      table: (table) => `${table}${REBUILD_SUFFIX}`,
    });
    const groupId = `${this.options.groupPrefix}.${name}.rebuild.${Date.now()}`;
    // Offsets committed after every batch: the catch-up below is judged by the copy's committed offsets.
    const copy = new ProjectionConsumer({
      kafka,
      applier,
      groupId,
      logger,
      topicNames,
      liveness,
      offsetCommitIntervalMs: 0,
    });
    logger.info({ groupId }, 'rebuild started');
    await copy.start();
    const topics = projection.topics.map((topic) => topicNames.onCluster(topic));
    try {
      await this.untilCaughtUp(admin, groupId, topics, Number.POSITIVE_INFINITY);
      await closeGate(session, name);
      await recordCuttingOver(session, name);
      logger.info('rebuild cutting over: the live consumers wait');
      await this.untilCaughtUp(
        admin,
        groupId,
        topics,
        Date.now() + (this.options.cutOverTimeoutMs ?? 30_000),
      );
      await copy.stop();
      await session.query('BEGIN');
      try {
        await swapInRebuiltTables(session, tables, name, namespace);
        await recordSwapped(session, name);
        await session.query('COMMIT');
      } catch (error) {
        await session.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      await copy.stop();
    }
    await admin.deleteGroups([groupId]).catch(() => undefined);
    logger.info('rebuild swapped in');
  }

  private async untilCaughtUp(
    admin: Admin,
    groupId: string,
    topics: readonly string[],
    deadline: number,
  ): Promise<void> {
    for (;;) {
      if (this.stopping) throw new Error('the service is stopping: rebuild abandoned, the live tables stay');
      const lag = await consumerLag(admin, groupId, topics);
      if (!lag.some((partition) => partition.messages > 0)) return;
      if (Date.now() > deadline)
        throw new Error('the copy did not catch up with the log in time to cut over');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A pg client as the bookkeeping functions take it: a query answers its rows. */
function rowsOf(client: Client): Queryable {
  return { query: async (sql, parameters) => (await client.query(sql, parameters)).rows };
}
