import type { CustomerEvent } from '@tandem/contracts';
import { sqlLiteral } from '@tandem/platform/sql';
import { emailUniquenessKey, type CustomerState } from '@tandem/write/domain';
import { envelopeEvents, enqueueInOutbox } from '../outbox/outbox-writer';
import type { CommandOrigin } from '../transactions/command-transactions';
import type { Sql } from '../transactions/sql';
import type { WrittenEvents } from '../transactions/written-events';
import type { CustomerStore } from './customer-store';
import { StaleWrite } from '../errors/stale-write.error';

/** A customer's row as the stores read it (`CUSTOMER_COLUMNS`). */
export interface CustomerRow {
  customer_id: string;
  name: string;
  email: string;
  currency: string;
  credit_limit: string;
  version: number;
  owner_subject: string | null;
}

const CUSTOMER_COLUMNS = 'customer_id, name, email, currency, credit_limit, version, owner_subject';

/** The customer's row by id, for the simple protocol (the id as a literal): a transaction's opening read. */
export function customerRowQuery(customerId: string): string {
  return `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE customer_id = ${sqlLiteral(customerId)}`;
}

export function customerStateOf(row: CustomerRow | undefined): CustomerState | null {
  if (!row) return null;
  return {
    customerId: row.customer_id,
    name: row.name,
    email: row.email,
    currency: row.currency,
    creditLimit: Number(row.credit_limit),
    version: row.version,
    ...(row.owner_subject === null ? {} : { ownerSubject: row.owner_subject }),
  };
}

export class PostgresCustomerStore implements CustomerStore {
  /**
   * Customers this transaction read, by id: an order command may need its customer twice (the owner check in the
   * shell, the credit limit or currency in its binding), and reads it once.
   */
  private readonly loaded = new Map<string, CustomerState | null>();

  constructor(
    private readonly sql: Sql,
    private readonly origin: CommandOrigin,
    private readonly written?: WrittenEvents,
    /** Customers the transaction's opening round trip already read (see `PostgresCommandTransactions`). */
    read?: ReadonlyMap<string, CustomerState | null>,
  ) {
    for (const [customerId, state] of read ?? []) this.loaded.set(customerId, state);
  }

  async load(customerId: string): Promise<CustomerState | null> {
    const known = this.loaded.get(customerId);
    if (known !== undefined) return known;
    const state = await this.read(customerId);
    this.loaded.set(customerId, state);
    return state;
  }

  private async read(customerId: string): Promise<CustomerState | null> {
    const [row] = await this.sql.rows<CustomerRow>(
      `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE customer_id = $1`,
      [customerId],
    );
    return customerStateOf(row);
  }

  async ownedBy(subject: string): Promise<string | null> {
    const [row] = await this.sql.rows<{ customer_id: string }>(
      `SELECT customer_id FROM customers WHERE owner_subject = $1`,
      [subject],
    );
    return row?.customer_id ?? null;
  }

  async isEmailTaken(email: string): Promise<boolean> {
    const rows = await this.sql.rows(`SELECT 1 FROM customers WHERE lower(email) = $1`, [
      emailUniquenessKey(email),
    ]);
    return rows.length > 0;
  }

  async save(
    previous: CustomerState | null,
    next: CustomerState,
    events: readonly CustomerEvent[],
  ): Promise<void> {
    if (previous === null) {
      // A racing registration of the same id, email or owner fails here with a unique violation and is retried.
      await this.sql.rows(
        `INSERT INTO customers (customer_id, name, email, currency, credit_limit, version, owner_subject)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          next.customerId,
          next.name,
          next.email,
          next.currency,
          next.creditLimit,
          next.version,
          next.ownerSubject ?? null,
        ],
      );
    } else {
      const changed = await this.sql.affected(
        `UPDATE customers SET name = $2, email = $3, credit_limit = $4, version = $5, updated_at = now()
         WHERE customer_id = $1 AND version = $6`,
        [next.customerId, next.name, next.email, next.creditLimit, next.version, previous.version],
      );
      if (changed !== 1) throw new StaleWrite(`customer ${next.customerId} changed since it was loaded`);
    }
    this.loaded.set(next.customerId, next);
    const firstVersion = next.version - events.length + 1;
    const recorded = envelopeEvents(next.customerId, firstVersion, events, this.origin).map((entry) =>
      // The record's owner travels beside its registration (`ce_ownersubject`), for the read side's access checks.
      entry.event.type === 'CustomerRegistered' && next.ownerSubject
        ? { ...entry, envelope: { ...entry.envelope, ownerSubject: next.ownerSubject } }
        : entry,
    );
    await enqueueInOutbox(this.sql, recorded);
    this.written?.add(recorded);
  }
}
