import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/** Per UTC day and currency: orders placed, shipped and cancelled that day, counted and totalled. */
@Entity({ name: 'daily_sales' })
export class DailySalesEntity {
  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'placed_count', type: 'bigint', transformer: bigintNumber })
  placedCount!: number;

  /** numeric: a decimal string, exact however many orders the day has. */
  @Column({ name: 'placed_total', type: 'numeric' })
  placedTotal!: string;

  @Column({ name: 'shipped_count', type: 'bigint', transformer: bigintNumber })
  shippedCount!: number;

  /** numeric: a decimal string, exact however many orders the day has. */
  @Column({ name: 'shipped_total', type: 'numeric' })
  shippedTotal!: string;

  @Column({ name: 'cancelled_count', type: 'bigint', transformer: bigintNumber })
  cancelledCount!: number;

  /** numeric: a decimal string, exact however many orders the day has. */
  @Column({ name: 'cancelled_total', type: 'numeric' })
  cancelledTotal!: string;
}
