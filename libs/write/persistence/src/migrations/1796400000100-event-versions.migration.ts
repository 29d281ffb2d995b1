import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OrderLineAdded.v2 (docs/events.md, "Versioning"). Expand only, so that the previous release keeps running beside
 * this one on the same database (docs/services.md, "Rolling out OrderLineAdded.v2"):
 *  - `events.schema_version`: the major version of the event's schema its `data` is stored in. The previous
 *    release's inserts do not name it, so they get 1, which is what they write. Rows are never rewritten: v1 rows are
 *    upcast when loaded. A constant default is only catalog metadata (PostgreSQL 11+): no table rewrite.
 *  - `outbox.latest_payload`: the event at its latest version when that differs from the v1 form that `payload`
 *    keeps (which the previous release's relay publishes, unchanged); NULL when the same, or written by that release.
 *  - `outbox.latest_published_at`: when the relay sent the row on the topic that replaced its `topic`
 *    (`orders.order.v2` for `orders.order.v1`), or found it had no such topic. NULL for every row written before:
 *    the relay of this release publishes the whole outbox on `orders.order.v2`, oldest first.
 */
export class EventVersions1796400000100 implements MigrationInterface {
  name = 'EventVersions1796400000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE events ADD COLUMN schema_version smallint NOT NULL DEFAULT 1`);
    await queryRunner.query(
      `ALTER TABLE outbox ADD COLUMN latest_payload jsonb, ADD COLUMN latest_published_at timestamptz`,
    );
    // The relay's batch: rows still to send on either topic, in position order. The previous release's relay keeps
    // using outbox_unpublished (published_at IS NULL).
    await queryRunner.query(
      `CREATE INDEX outbox_pending ON outbox (position)
        WHERE published_at IS NULL OR latest_published_at IS NULL`,
    );
  }

  // Rows written as v2 since the upgrade stay v2: the previous release cannot read those streams.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX outbox_pending`);
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN latest_payload, DROP COLUMN latest_published_at`);
    await queryRunner.query(`ALTER TABLE events DROP COLUMN schema_version`);
  }
}
