import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `projection_rebuilds`: the last rebuild of each projection, whichever projection-service replica runs it, so that
 * every replica reports it (and `npm run projection:rebuild` can ask any of them). Who may rebuild, and when live
 * consumers must wait, is decided by advisory locks (libs/read/projections/src/rebuild/rebuild-gate.ts); this row is
 * the record of it.
 */
export class ProjectionRebuilds1796400000000 implements MigrationInterface {
  name = 'ProjectionRebuilds1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE projection_rebuilds (
        projection text PRIMARY KEY,
        owner text NOT NULL,
        state text NOT NULL CHECK (state IN ('filling', 'cutting-over', 'swapped', 'failed')),
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        error text
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE projection_rebuilds`);
  }
}
