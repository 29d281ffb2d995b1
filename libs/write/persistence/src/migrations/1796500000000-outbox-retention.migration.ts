import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox retention (outbox-sweeper.ts): the rows owing nothing more, by when their last delivery was done, for the
 * sweeper to find the old ones without scanning the table. A row is done when it went out on its topic
 * (`published_at`) and on the topic that replaced it (`latest_published_at`, 1796400000100): a row the previous
 * release's relay published on orders.order.v1 still owes orders.order.v2 and is not in this index. Built
 * CONCURRENTLY, outside a transaction: the outbox of a system that never swept it can be large, and a plain CREATE
 * INDEX would hold up every command's insert while it builds.
 */
export class OutboxRetention1796500000000 implements MigrationInterface {
  name = 'OutboxRetention1796500000000';
  transaction = false;

  async up(queryRunner: QueryRunner): Promise<void> {
    // A build interrupted midway leaves an invalid index of this name behind: start again from nothing.
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS outbox_delivered`);
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY outbox_delivered ON outbox ((greatest(published_at, latest_published_at)))
        WHERE published_at IS NOT NULL AND latest_published_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS outbox_delivered`);
  }
}
