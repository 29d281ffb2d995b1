import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OrderStatus, OrderSummaryLine } from '../order-summary/order-summary.read-model';
import { bigintNumber } from './bigint-number.transformer';

/** One row per order, as `GET /api/orders/{id}` and the order lists serve it. Written by the order-summary projection. */
@Entity({ name: 'order_summary' })
export class OrderSummaryEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ type: 'text' })
  status!: OrderStatus;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'jsonb' })
  lines!: OrderSummaryLine[];

  @Column({ name: 'line_count', type: 'integer' })
  lineCount!: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  total!: number;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'placed_at', type: 'timestamptz', nullable: true })
  placedAt!: Date | null;

  @Column({ name: 'shipped_at', type: 'timestamptz', nullable: true })
  shippedAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason!: string | null;
}
