import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox retention (outbox-sweeper.ts): the published rows, by publication time, for the sweeper to find the old
 * ones without scanning the table. Built CONCURRENTLY, outside a transaction: the outbox of a system that never
 * swept it can be large, and a plain CREATE INDEX would hold up every command's insert while it builds.
 */
export class OutboxRetention1796300000000 implements MigrationInterface {
  name = 'OutboxRetention1796300000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    // A build interrupted midway leaves an invalid index of this name behind: start again from nothing.
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS outbox_published`);
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS outbox_published`);
  }
}
