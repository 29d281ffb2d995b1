import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/**
 * One row per customer: its registration and its orders counted per status, with the lifetime value of shipped
 * orders. Serves `GET /api/customers/{id}`. `version` is the customer stream's version (for ETag and tokens).
 */
@Entity({ name: 'customer_orders' })
export class CustomerOrdersEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'char', length: 3, nullable: true })
  currency!: string | null;

  @Column({ name: 'credit_limit', type: 'bigint', nullable: true, transformer: bigintNumber })
  creditLimit!: number | null;

  @Column({ name: 'draft_count', type: 'bigint', transformer: bigintNumber })
  draftCount!: number;

  @Column({ name: 'placed_count', type: 'bigint', transformer: bigintNumber })
  placedCount!: number;

  @Column({ name: 'shipped_count', type: 'bigint', transformer: bigintNumber })
  shippedCount!: number;

  @Column({ name: 'cancelled_count', type: 'bigint', transformer: bigintNumber })
  cancelledCount!: number;

  /** numeric: a decimal string, exact however many orders the customer has shipped. */
  @Column({ name: 'lifetime_value', type: 'numeric' })
  lifetimeValue!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'registered_at', type: 'timestamptz', nullable: true })
  registeredAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
