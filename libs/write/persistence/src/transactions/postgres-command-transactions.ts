import { setTimeout as sleep } from 'node:timers/promises';
import { isUuid } from '@tandem/contracts';
import {
  asList,
  sendInOrder,
  sqlLiteral,
  sqlState,
  type QueryAnswer,
  type SqlClient,
} from '@tandem/platform/sql';
import type { CustomerState } from '@tandem/write/domain';
import type { DataSource } from 'typeorm';
import { IdempotencyKeyReused } from '../errors/idempotency-key-reused.error';
import { StaleWrite } from '../errors/stale-write.error';
import { WriteConflict } from '../errors/write-conflict.error';
import { INLINE_CLAIM_MISSED } from '../inline/inline-append';
import type { InlineProjections } from '../inline/inline-projections';
import {
  customerRowQuery,
  customerStateOf,
  PostgresCustomerStore,
  type CustomerRow,
} from '../stores/postgres-customer-store';
import { orderTailQuery, PostgresOrderStore, type ReadOrderTail } from '../stores/postgres-order-store';
import type { OrderStateCache } from '../stores/order-state-cache';
import type { EventVersionWritten, StoredOrderEvent } from '../stores/stored-order-events';
import type { CommandAnswer, CommandOptions, CommandTransactions, WriteUnit } from './command-transactions';
import { isUniqueViolation, Sql } from './sql';
import { storedAnswer, type StoredKey } from './stored-answer';
import { WrittenEvents } from './written-events';

/** Advisory lock class of per-aggregate retry queues; the relay's lock uses the one-key form, so they never clash. */
const AGGREGATE_LOCK_CLASS = 7301;

type Attempt = { done: CommandAnswer } | { retry: true; claimMissed?: true };

/** The part of `OutboxRelay` a command transaction uses. */
export interface LocalRelay {
  readonly isLeader: boolean;
  nudge(): void;
}

/** What the opening round trip read, for the stores. */
interface OpeningRead {
  orderTail?: ReadOrderTail;
  customers?: ReadonlyMap<string, CustomerState | null>;
}

/** Statements added to the opening round trip, and how their answers (in the same order) become an `OpeningRead`. */
interface OpeningReads {
  statements: string[];
  take(answers: QueryAnswer[]): OpeningRead;
}

const NO_OPENING_READS: OpeningReads = { statements: [], take: () => ({}) };

/** The customer `customerRowQuery(id)` answered with (none: no such customer), for the customer store. */
function customerRead(id: string, answer: QueryAnswer | undefined): Map<string, CustomerState | null> {
  return new Map([[id, customerStateOf(answer?.rows[0] as CustomerRow | undefined)]]);
}

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
      /**
       * This process's outbox relay. While it is the active one, a command's transaction sends no NOTIFY for its
       * outbox rows and wakes the relay in-process after COMMIT (migration 1796600000000): no turn at PostgreSQL's
       * cluster-wide notification lock in every commit, no wake-up of the relay's connection per command.
       */
      relay?: LocalRelay;
    } = {},
  ) {}

  async run(
    options: CommandOptions,
    work: (unit: WriteUnit) => Promise<CommandAnswer>,
  ): Promise<CommandAnswer> {
    const maxAttempts = this.options.maxAttempts ?? 10;
    let holdInlineClaims = true;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const outcome = await this.attempt(options, work, attempt, holdInlineClaims);
      if ('done' in outcome) return outcome.done;
      // An inline model missed its claim: no other writer is involved, so run again at once, the append on its own.
      if (outcome.claimMissed) {
        holdInlineClaims = false;
        continue;
      }
      // Jitter spreads the losers out so they do not collide again on the same version.
      await sleep(Math.floor(Math.random() * 5 * attempt));
    }
    throw new WriteConflict(maxAttempts);
  }

  /**
   * What the command will read first, read in its opening round trip (after BEGIN, the retry's lock and the key's
   * claim, in one simple-protocol query): an order command's events after its cached version, and, when the cache
   * knows the order's customer, the customer (the owner check reads it); a customer command's customer. In READ
   * COMMITTED each statement sees what was committed when it started, so reading these a moment earlier in the same
   * transaction gives the guarantees the stores' own reads give: the append's unique version still refuses a stale
   * writer, and the customer is read, as before, without a lock. An id that is not a UUID is not read here (the
   * store's own read reports it as before).
   */
  private openingReads(options: CommandOptions): OpeningReads {
    const id = options.aggregateId;
    if (id === undefined || !isUuid(id) || options.aggregateKind === undefined) return NO_OPENING_READS;
    if (options.aggregateKind === 'customer') {
      return {
        statements: [customerRowQuery(id)],
        take: ([customer]) => ({ customers: customerRead(id, customer) }),
      };
    }
    const base = this.options.orderStateCache?.get(id);
    const customerId = base?.state.customerId;
    const statements = [orderTailQuery(id, base?.state.version ?? 0)];
    if (isUuid(customerId)) statements.push(customerRowQuery(customerId));
    return {
      statements,
      take: ([tail, customer]) => ({
        orderTail: { orderId: id, base, rows: (tail?.rows ?? []) as StoredOrderEvent[] },
        ...(customerId !== undefined && customer ? { customers: customerRead(customerId, customer) } : {}),
      }),
    };
  }

  /**
   * One attempt, in one transaction. BEGIN goes with the idempotency key's claim and the opening reads, and the
   * held writes and the stored answer with COMMIT, each as one simple-protocol query (values as escaped literals):
   * an AddOrderLine on an order this replica has seen takes two round trips.
   */
  private async attempt(
    options: CommandOptions,
    work: (unit: WriteUnit) => Promise<CommandAnswer>,
    attempt: number,
    holdInlineClaims: boolean,
  ): Promise<Attempt> {
    const runner = this.dataSource.createQueryRunner();
    // The driver's own connection for BEGIN and COMMIT; the stores' statements go through the runner, on it too.
    const client = (await runner.connect()) as SqlClient;
    const sql = new Sql(runner);
    let open = false;
    try {
      const { idempotency } = options;
      const reads = this.openingReads(options);
      // After losing a race once, queue behind the other writers of this aggregate rather than race again: under
      // heavy contention on one order every retry would otherwise keep losing to a fresher writer. The lock comes
      // before the opening reads, so they see what the winner wrote.
      const lock =
        attempt > 1 && options.aggregateId
          ? [
              `SELECT pg_advisory_xact_lock(${AGGREGATE_LOCK_CLASS}, hashtext(${sqlLiteral(options.aggregateId)}))`,
            ]
          : [];
      // READ COMMITTED: every write-DB connection has it as its default (createWriteDataSource).
      // Inserted first: a concurrent request with the same key blocks here until this transaction ends, then finds
      // the committed answer (or, if this one failed, inserts the key itself and runs the command).
      const claim = idempotency
        ? [
            `INSERT INTO idempotency_keys (key, fingerprint, issued_by)
             VALUES (${sqlLiteral(idempotency.key)}, ${sqlLiteral(idempotency.fingerprint)},
                     ${options.issuedBy ? sqlLiteral(options.issuedBy.subject) : 'NULL'})
             ON CONFLICT (key) DO NOTHING RETURNING key`,
          ]
        : [];
      // Read before the transaction starts: if the relay loses its lock meanwhile, the one that takes over starts
      // with a batch, and every relay polls besides, so a row written without a notice is never left behind.
      const wakeRelay = this.options.relay?.isLeader === true;
      const quiet = wakeRelay ? [`SET LOCAL tandem.outbox_notify = 'off'`] : [];
      open = true;
      const answers = asList(
        await client.query(['BEGIN', ...quiet, ...lock, ...claim, ...reads.statements].join('; ')),
      );
      if (idempotency) {
        const claimed = answers[1 + quiet.length + lock.length]?.rows ?? [];
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
      }
      const read = reads.take(answers.slice(answers.length - reads.statements.length));
      const written = new WrittenEvents();
      const unit: WriteUnit = {
        orders: new PostgresOrderStore(
          sql,
          options,
          this.options.inline,
          written,
          this.options.eventVersionWritten,
          this.options.orderStateCache,
          read.orderTail,
          holdInlineClaims,
        ),
        customers: new PostgresCustomerStore(sql, options, written, read.customers),
      };
      const response = await work(unit);
      // If a held write or the UPDATE fails, the COMMIT after it does not run: the error rolls the transaction back
      // below (a held append that lost the race on its version fails here, and the command is retried). The events
      // recorded go with the answer: the command's status finds their outbox rows by id.
      const answer = idempotency
        ? [
            `UPDATE idempotency_keys SET answer = ${sqlLiteral(JSON.stringify(response))},
                    events = ${sqlLiteral(JSON.stringify(written.events))}
             WHERE key = ${sqlLiteral(idempotency.key)}`,
          ]
        : [];
      // The writes the stores held (an append nobody reads back) go first, in the same round trip.
      await sendInOrder(client, sql.takeHeld(), [...answer, 'COMMIT']);
      open = false;
      if (wakeRelay && written.events.length > 0) this.options.relay?.nudge();
      return { done: response };
    } catch (error) {
      // On a dead connection this fails too; the server rolls the transaction back on its own.
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      if (sqlState(error) === INLINE_CLAIM_MISSED) return { retry: true, claimMissed: true };
      if (isUniqueViolation(error) || error instanceof StaleWrite) return { retry: true };
      throw error;
    } finally {
      await runner.release();
    }
  }
}
