/** A customer that exists, as its state-stored row holds it. `version` counts the changes applied. */
export interface CustomerState {
  readonly customerId: string;
  readonly name: string;
  /** As the customer gave it; see `emailUniquenessKey` for how addresses are compared. */
  readonly email: string;
  /** ISO 4217; fixed at registration, since orders and the credit limit are in it. */
  readonly currency: string;
  /** Minor units of `currency`. */
  readonly creditLimit: number;
  readonly version: number;
  /**
   * The OpenID Connect subject of the account this record belongs to, when the customer registered itself; absent
   * for a record staff registered. Not part of any event's payload: it travels beside CustomerRegistered.
   */
  readonly ownerSubject?: string;
}

/** No customer yet. */
export const initialCustomerState: CustomerState | null = null;
