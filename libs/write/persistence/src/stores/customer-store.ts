import type { CustomerEvent } from '@tandem/contracts';
import type { CustomerState } from '@tandem/write/domain';

/** The state-stored Customer as a command handler sees it, bound to one transaction. */
export interface CustomerStore {
  load(customerId: string): Promise<CustomerState | null>;
  /** Whether a customer already uses this address, compared case-insensitively. */
  isEmailTaken(email: string): Promise<boolean>;
  /** The id of the customer record that belongs to this account, if any. */
  ownedBy(subject: string): Promise<string | null>;
  /**
   * Writes the customer's new row and enqueues its events in the outbox, in one transaction. The row is written only
   * if it is still at `previous.version` (or absent, for a new customer); otherwise the transaction is retried.
   */
  save(previous: CustomerState | null, next: CustomerState, events: readonly CustomerEvent[]): Promise<void>;
}
