import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `admin_audit`: every operator action on the projections (a rebuild started, a dead letter replayed), who did it
 * (the token's subject and roles), when, on what, with what (a replay's corrected payload) and how it ended.
 * Appended by the projection service, never updated.
 */
export class AdminAudit1796300000100 implements MigrationInterface {
  name = 'AdminAudit1796300000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE admin_audit (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        subject text NOT NULL,
        roles text[] NOT NULL,
        action text NOT NULL,
        projection text NOT NULL,
        target text,
        detail jsonb,
        outcome text NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE admin_audit`);
  }
}
