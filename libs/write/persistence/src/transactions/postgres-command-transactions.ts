import { setTimeout as sleep } from 'node:timers/promises';
import { lastAnswer, sqlLiteral, type SqlClient } from '@tandem/platform/sql';
import type { DataSource } from 'typeorm';
import { IdempotencyKeyReused } from '../errors/idempotency-key-reused.error';
import { StaleWrite } from '../errors/stale-write.error';
import { WriteConflict } from '../errors/write-conflict.error';
import type { InlineProjections } from '../inline/inline-projections';
import { PostgresCustomerStore } from '../stores/postgres-customer-store';
import { PostgresOrderStore } from '../stores/postgres-order-store';
import type { OrderStateCache } from '../stores/order-state-cache';
import type { EventVersionWritten } from '../stores/stored-order-events';
import type { CommandAnswer, CommandOptions, CommandTransactions, WriteUnit } from './command-transactions';
import { isUniqueViolation, Sql } from './sql';
import { storedAnswer, type StoredKey } from './stored-answer';
import { WrittenEvents } from './written-events';

/** Advisory lock class of per-aggregate retry queues; the relay's lock uses the one-key form, so they never clash. */
const AGGREGATE_LOCK_CLASS = 7301;

type Attempt = { done: CommandAnswer } | { retry: true };

export class PostgresCommandTransactions implements CommandTransactions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: {
      maxAttempts?: number;
      /** Read models applied in each command's transaction (none by default). */
      inline?: InlineProjections;
      /** The version order events are stored in (`EVENT_VERSION_WRITTEN`); 2 by default. */
      eventVersionWritten?: EventVersionWritten;
      /** Orders kept folded between commands (`ORDER_STATE_CACHE_SIZE`); none by default. */
      orderStateCache?: OrderStateCache;
    } = {},
  ) {}

  async run(
    options: CommandOptions,
    work: (unit: WriteUnit) => Promise<CommandAnswer>,
  ): Promise<CommandAnswer> {
    const maxAttempts = this.options.maxAttempts ?? 10;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const outcome = await this.attempt(options, work, attempt);
      if ('done' in outcome) return outcome.done;
      // Jitter spreads the losers out so they do not collide again on the same version.
      await sleep(Math.floor(Math.random() * 5 * attempt));
    }
    throw new WriteConflict(maxAttempts);
  }

  /**
   * One attempt, in one transaction. BEGIN goes with the idempotency key's claim, and the stored answer with COMMIT,
   * each pair as one simple-protocol query (values as escaped literals): an AddOrderLine takes five round trips.
   */
  private async attempt(
    options: CommandOptions,
    work: (unit: WriteUnit) => Promise<CommandAnswer>,
    attempt: number,
  ): Promise<Attempt> {
    const runner = this.dataSource.createQueryRunner();
    // The driver's own connection for BEGIN and COMMIT; the stores' statements go through the runner, on it too.
    const client = (await runner.connect()) as SqlClient;
    const sql = new Sql(runner);
    let open = false;
    try {
      const { idempotency } = options;
      // READ COMMITTED: every write-DB connection has it as its default (createWriteDataSource).
      if (idempotency) {
        // Inserted first: a concurrent request with the same key blocks here until this transaction ends, then
        // finds the committed answer (or, if this one failed, inserts the key itself and runs the command).
        open = true;
        const claimed = lastAnswer(
          await client.query(
            `BEGIN; INSERT INTO idempotency_keys (key, fingerprint, issued_by)
             VALUES (${sqlLiteral(idempotency.key)}, ${sqlLiteral(idempotency.fingerprint)},
                     ${options.issuedBy ? sqlLiteral(options.issuedBy.subject) : 'NULL'})
             ON CONFLICT (key) DO NOTHING RETURNING key`,
          ),
        ).rows;
        if (claimed.length === 0) {
          const [stored] = await sql.rows<StoredKey>(
            `SELECT fingerprint, answer, response_status, response_body FROM idempotency_keys WHERE key = $1`,
            [idempotency.key],
          );
          open = false;
          await client.query('ROLLBACK');
          const answer = stored ? storedAnswer(stored) : null;
          if (!stored || answer === null) return { retry: true };
          if (stored.fingerprint !== idempotency.fingerprint) throw new IdempotencyKeyReused(idempotency.key);
          return { done: { ...answer, replayed: true } };
        }
      } else {
        open = true;
        await client.query('BEGIN');
      }
      if (attempt > 1 && options.aggregateId) {
        // After losing a race once, queue behind the other writers of this aggregate rather than race again:
        // under heavy contention on one order every retry would otherwise keep losing to a fresher writer.
        await sql.rows(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [
          AGGREGATE_LOCK_CLASS,
          options.aggregateId,
        ]);
      }
      const written = new WrittenEvents();
      const unit: WriteUnit = {
        orders: new PostgresOrderStore(
          sql,
          options,
          this.options.inline,
          written,
          this.options.eventVersionWritten,
          this.options.orderStateCache,
        ),
        customers: new PostgresCustomerStore(sql, options, written),
      };
      const response = await work(unit);
      // If the UPDATE fails, the COMMIT after it does not run: the error rolls the transaction back below. The
      // events recorded go with the answer: the command's status finds their outbox rows by id.
      const commit = idempotency
        ? `UPDATE idempotency_keys SET answer = ${sqlLiteral(JSON.stringify(response))},
                  events = ${sqlLiteral(JSON.stringify(written.events))}
           WHERE key = ${sqlLiteral(idempotency.key)}; COMMIT`
        : 'COMMIT';
      await client.query(commit);
      open = false;
      return { done: response };
    } catch (error) {
      // On a dead connection this fails too; the server rolls the transaction back on its own.
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      if (isUniqueViolation(error) || error instanceof StaleWrite) return { retry: true };
      throw error;
    } finally {
      await runner.release();
    }
  }
}
