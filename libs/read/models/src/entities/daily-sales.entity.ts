import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/** Per UTC day and currency: orders placed, shipped and cancelled that day, counted and totalled. */
@Entity({ name: 'daily_sales' })
export class DailySalesEntity {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'placed_count', type: 'integer' })
  placedCount!: number;

  @Column({ name: 'placed_total', type: 'bigint', transformer: bigintNumber })
  placedTotal!: number;

  @Column({ name: 'shipped_count', type: 'integer' })
  shippedCount!: number;

  @Column({ name: 'shipped_total', type: 'bigint', transformer: bigintNumber })
  shippedTotal!: number;

  @Column({ name: 'cancelled_count', type: 'integer' })
  cancelledCount!: number;

  @Column({ name: 'cancelled_total', type: 'bigint', transformer: bigintNumber })
  cancelledTotal!: number;
}
