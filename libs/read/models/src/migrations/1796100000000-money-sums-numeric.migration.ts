import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sums over an unbounded number of orders (a day's sales per currency, a customer's lifetime value) outgrow any
 * fixed-width integer: ~9,200 orders at the largest order total (10^15 minor units) pass bigint. They become
 * `numeric`, exact at any size; the counts beside them become bigint, which no count of events can pass.
 * One order's amounts stay bigint: they are bounded by the write side (at most 10^15 minor units).
 */
export class MoneySumsNumeric1796100000000 implements MigrationInterface {
  name = 'MoneySumsNumeric1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE daily_sales
        ALTER COLUMN placed_count TYPE bigint, ALTER COLUMN placed_total TYPE numeric,
        ALTER COLUMN shipped_count TYPE bigint, ALTER COLUMN shipped_total TYPE numeric,
        ALTER COLUMN cancelled_count TYPE bigint, ALTER COLUMN cancelled_total TYPE numeric`);
    await queryRunner.query(`
      ALTER TABLE customer_orders
        ALTER COLUMN draft_count TYPE bigint, ALTER COLUMN placed_count TYPE bigint,
        ALTER COLUMN shipped_count TYPE bigint, ALTER COLUMN cancelled_count TYPE bigint,
        ALTER COLUMN lifetime_value TYPE numeric`);
  }

  /** Fails, and changes nothing, if a sum has meanwhile passed bigint or a count integer. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE customer_orders
        ALTER COLUMN draft_count TYPE integer, ALTER COLUMN placed_count TYPE integer,
        ALTER COLUMN shipped_count TYPE integer, ALTER COLUMN cancelled_count TYPE integer,
        ALTER COLUMN lifetime_value TYPE bigint`);
    await queryRunner.query(`
      ALTER TABLE daily_sales
        ALTER COLUMN placed_count TYPE integer, ALTER COLUMN placed_total TYPE bigint,
        ALTER COLUMN shipped_count TYPE integer, ALTER COLUMN shipped_total TYPE bigint,
        ALTER COLUMN cancelled_count TYPE integer, ALTER COLUMN cancelled_total TYPE bigint`);
  }
}
