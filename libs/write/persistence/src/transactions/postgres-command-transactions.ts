import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, QueryRunner } from 'typeorm';
import type { CommandAccepted } from '@tandem/contracts';
import { IdempotencyKeyReused } from '../errors/idempotency-key-reused.error';
import { StaleWrite } from '../errors/stale-write.error';
import { WriteConflict } from '../errors/write-conflict.error';
import { PostgresCustomerStore } from '../stores/postgres-customer-store';
import { PostgresOrderStore } from '../stores/postgres-order-store';
import type { CommandOptions, CommandResponse, CommandTransactions, WriteUnit } from './command-transactions';
import { isUniqueViolation, Sql } from './sql';

interface StoredKey {
  fingerprint: string;
  response_status: number | null;
  response_location: string | null;
  response_body: CommandAccepted | null;
}

/** Advisory lock class of per-aggregate retry queues; the relay's lock uses the one-key form, so they never clash. */
const AGGREGATE_LOCK_CLASS = 7301;

type Attempt = { done: CommandResponse } | { retry: true };

export class PostgresCommandTransactions implements CommandTransactions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: { maxAttempts?: number } = {},
  ) {}

  async run(
    options: CommandOptions,
    work: (unit: WriteUnit) => Promise<CommandResponse>,
  ): Promise<CommandResponse> {
    const maxAttempts = this.options.maxAttempts ?? 10;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const outcome = await this.attempt(options, work, attempt);
      if ('done' in outcome) return outcome.done;
      // Jitter spreads the losers out so they do not collide again on the same version.
      await sleep(Math.floor(Math.random() * 5 * attempt));
    }
    throw new WriteConflict(maxAttempts);
  }

  private async attempt(
    options: CommandOptions,
    work: (unit: WriteUnit) => Promise<CommandResponse>,
    attempt: number,
  ): Promise<Attempt> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const sql = new Sql(runner);
    try {
      // READ COMMITTED: every write-DB connection has it as its default (createWriteDataSource).
      await runner.startTransaction();
      const { idempotency } = options;
      if (idempotency) {
        // Inserted first: a concurrent request with the same key blocks here until this transaction ends, then
        // finds the committed answer (or, if this one failed, inserts the key itself and runs the command).
        const claimed = await sql.rows(
          `INSERT INTO idempotency_keys (key, fingerprint) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`,
          [idempotency.key, idempotency.fingerprint],
        );
        if (claimed.length === 0) {
          const [stored] = await sql.rows<StoredKey>(
            `SELECT fingerprint, response_status, response_location, response_body FROM idempotency_keys WHERE key = $1`,
            [idempotency.key],
          );
          await runner.rollbackTransaction();
          if (!stored || stored.response_status === null || stored.response_body === null)
            return { retry: true };
          if (stored.fingerprint !== idempotency.fingerprint) throw new IdempotencyKeyReused(idempotency.key);
          return {
            done: {
              status: stored.response_status === 201 ? 201 : 200,
              ...(stored.response_location === null ? {} : { location: stored.response_location }),
              body: stored.response_body,
              replayed: true,
            },
          };
        }
      }
      if (attempt > 1 && options.aggregateId) {
        // After losing a race once, queue behind the other writers of this aggregate rather than race again:
        // under heavy contention on one order every retry would otherwise keep losing to a fresher writer.
        await sql.rows(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [
          AGGREGATE_LOCK_CLASS,
          options.aggregateId,
        ]);
      }
      const unit: WriteUnit = {
        orders: new PostgresOrderStore(sql, options),
        customers: new PostgresCustomerStore(sql, options),
      };
      const response = await work(unit);
      if (idempotency) {
        await sql.rows(
          `UPDATE idempotency_keys SET response_status = $2, response_location = $3, response_body = $4 WHERE key = $1`,
          [idempotency.key, response.status, response.location ?? null, JSON.stringify(response.body)],
        );
      }
      await runner.commitTransaction();
      return { done: response };
    } catch (error) {
      await rollbackQuietly(runner);
      if (isUniqueViolation(error) || error instanceof StaleWrite) return { retry: true };
      throw error;
    } finally {
      await runner.release();
    }
  }
}

async function rollbackQuietly(runner: QueryRunner): Promise<void> {
  if (!runner.isTransactionActive) return;
  try {
    await runner.rollbackTransaction();
  } catch {
    // The connection is gone; the server rolls the transaction back on its own.
  }
}
