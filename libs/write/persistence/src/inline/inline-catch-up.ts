import { applyReadModel, handledTypes } from '@tandem/platform/read-model';
import type { DataSource, QueryRunner } from 'typeorm';
import { Sql } from '../transactions/sql';
import { inlineContext } from './inline-append';
import {
  advanceCheckpoints,
  excludeInlineWriters,
  forgetModel,
  INLINE_LOCK_CLASS,
  isFilled,
  markCaughtUp,
  markFilled,
} from './inline-checkpoints';
import type { InlineModel, InlineProjections } from './inline-projections';
import { STORED_EVENT_COLUMNS, storedModelEvent, type StoredEventRow } from './stored-events';

export interface InlineFillReport {
  model: string;
  /** `filled`: it had never been (one transaction); `caught-up`: events written without it were applied. */
  how: 'filled' | 'caught-up' | 'rebuilt';
  events: number;
  ms: number;
}

export interface InlineCatchUpOptions {
  /** Events read and applied per statement (and, when catching up, per transaction). Default 2,000. */
  chunkSize?: number;
}

/**
 * Fills inline models from the event store and keeps them whole when events were written without them.
 *
 * Each model's checkpoint per stream (`inline_checkpoints`) says up to which version the model reflects the stream;
 * every path that applies events moves it in the same transaction, and only from where it stands: a command only
 * if the model reflects the stream's earlier events (else it applies the stream from the checkpoint), a catch-up
 * only events above it. A catch-up or rebuild transaction first takes a table lock that conflicts with the
 * commands' writes of `inline_checkpoints` (not with reads), so no command applies inline models while it reads and
 * moves checkpoints: an event is applied by its command or by a catch-up, never both, whatever order transactions
 * commit in. One replica at a time runs this per model (a session advisory lock, released if its process dies).
 */
export class InlineCatchUp {
  private readonly chunkSize: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly inline: InlineProjections,
    options: InlineCatchUpOptions = {},
  ) {
    this.chunkSize = options.chunkSize ?? 2000;
  }

  /**
   * Before the service takes commands: fills every registered model never filled (or forgotten), in one
   * transaction, and catches up the others with what was written without them (before the model was deployed, or
   * by replicas not running it), a chunk per transaction.
   */
  async run(): Promise<InlineFillReport[]> {
    const reports: InlineFillReport[] = [];
    for (const model of this.inline.models) {
      reports.push(
        await this.holding(model, async (sql, runner) =>
          (await isFilled(sql, model.name))
            ? this.catchUp(sql, runner, model)
            : this.fill(sql, runner, model, 'filled'),
        ),
      );
    }
    return reports;
  }

  /**
   * Empties a model and fills it again from the event store, in one transaction: readers see the old rows until it
   * commits; commands that apply an inline model wait for it (the others do not).
   */
  rebuild(name: string): Promise<InlineFillReport> {
    const model = this.inline.named(name);
    return this.holding(model, (sql, runner) => this.fill(sql, runner, model, 'rebuilt'));
  }

  /**
   * Forgets models that this service does not apply: their rows, checkpoints and fill record, in one transaction.
   * Events it writes would not reach them, so they are not to be trusted until a service that runs them fills them.
   */
  async forget(models: readonly InlineModel[]): Promise<void> {
    for (const model of models) {
      await this.holding(model, (sql, runner) =>
        this.inTransaction(runner, async () => {
          await excludeInlineWriters(sql);
          await sql.rows(`DELETE FROM ${model.table}`);
          await forgetModel(sql, model.name);
        }),
      );
    }
  }

  private async fill(
    sql: Sql,
    runner: QueryRunner,
    model: InlineModel,
    how: 'filled' | 'rebuilt',
  ): Promise<InlineFillReport> {
    const started = Date.now();
    let events = 0;
    await this.inTransaction(runner, async () => {
      await excludeInlineWriters(sql);
      await sql.rows(`DELETE FROM ${model.table}`);
      await forgetModel(sql, model.name);
      const until = await lastPosition(sql);
      for (let after = '0'; ;) {
        const chunk = await this.applyChunk(sql, model, after, until);
        events += chunk.events;
        if (chunk.last === null) break;
        after = chunk.last;
      }
      await markFilled(sql, model.name);
    });
    return { model: model.name, how, events, ms: Date.now() - started };
  }

  private async catchUp(sql: Sql, runner: QueryRunner, model: InlineModel): Promise<InlineFillReport> {
    const started = Date.now();
    let events = 0;
    // Positions are handed out before commit, but this only needs each event it has not seen to be found once: an
    // event committed late below `after` was written by a command, which applied it (commands running now are held
    // back), or by a replica without the model, which the next command on its stream (or the next start) makes up.
    // The same holds for what is written after it started: it reads up to the last position it found then, so that
    // writers faster than its chunks cannot keep it chasing.
    const until = await lastPosition(sql);
    for (let after: string | null = '0'; after !== null;) {
      const from: string = after;
      after = await this.inTransaction(runner, async () => {
        await excludeInlineWriters(sql);
        const chunk = await this.applyChunk(sql, model, from, until);
        events += chunk.events;
        return chunk.last;
      });
    }
    await markCaughtUp(sql, model.name);
    return { model: model.name, how: 'caught-up', events, ms: Date.now() - started };
  }

  /**
   * Applies the next events after position `after`, up to `until`, that the model reads and has not seen (above
   * its checkpoint of their stream), and moves the checkpoints past them. Returns the last position read, null when
   * none were left.
   */
  private async applyChunk(
    sql: Sql,
    model: InlineModel,
    after: string,
    until: string,
  ): Promise<{ events: number; last: string | null }> {
    const rows = await sql.rows<StoredEventRow>(
      `SELECT ${STORED_EVENT_COLUMNS}
         FROM events e
         LEFT JOIN inline_checkpoints c ON c.model = $1 AND c.stream_id = e.stream_id
        WHERE e.type = ANY($2::text[]) AND e.position > $3::bigint AND e.position <= $5::bigint
          AND e.version > COALESCE(c.version, 0)
        ORDER BY e.position
        LIMIT $4`,
      [model.name, handledTypes(model), after, this.chunkSize, until],
    );
    if (rows.length === 0) return { events: 0, last: null };
    await applyReadModel(model, rows.map(storedModelEvent), inlineContext(sql));
    const versions = new Map<string, number>();
    for (const row of rows)
      versions.set(row.stream_id, Math.max(versions.get(row.stream_id) ?? 0, row.version));
    await advanceCheckpoints(sql, model.name, versions);
    return {
      events: rows.length,
      last: rows.length < this.chunkSize ? null : (rows.at(-1)?.position ?? null),
    };
  }

  /** Runs `work` on a connection of its own that holds the model's advisory lock (waiting for it) throughout. */
  private async holding<T>(
    model: InlineModel,
    work: (sql: Sql, runner: QueryRunner) => Promise<T>,
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const sql = new Sql(runner);
    try {
      await sql.rows(`SELECT pg_advisory_lock($1, hashtext($2))`, [INLINE_LOCK_CLASS, model.name]);
      try {
        return await work(sql, runner);
      } finally {
        await sql.rows(`SELECT pg_advisory_unlock($1, hashtext($2))`, [INLINE_LOCK_CLASS, model.name]);
      }
    } finally {
      await runner.release();
    }
  }

  private async inTransaction<T>(runner: QueryRunner, work: () => Promise<T>): Promise<T> {
    await runner.startTransaction();
    try {
      const result = await work();
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }
}

/** The highest position in the event store now ('0' when it is empty). */
async function lastPosition(sql: Sql): Promise<string> {
  const [row] = await sql.rows<{ last: string }>(
    `SELECT COALESCE(max(position), 0)::text AS last FROM events`,
  );
  return row?.last ?? '0';
}
