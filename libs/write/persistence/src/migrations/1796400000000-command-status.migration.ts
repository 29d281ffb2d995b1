import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What `GET /api/commands/{idempotencyKey}` reads. An accepted command's key row also keeps who sent it
 * (`issued_by`, the token's subject: only that caller or staff may ask) and the events it recorded (`events`: ids,
 * stream, versions, types), whose outbox rows say whether they were published. A refused command leaves no key row
 * (its transaction rolled back, so a retry is judged again); `command_rejections` keeps its last problem, outside
 * that transaction, swept with the keys. Expand only: rows from before have null columns and still replay.
 */
export class CommandStatus1796400000000 implements MigrationInterface {
  name = 'CommandStatus1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE idempotency_keys ADD COLUMN issued_by text, ADD COLUMN events jsonb`,
    );
    await queryRunner.query(`
      CREATE TABLE command_rejections (
        key text PRIMARY KEY,
        issued_by text,
        fingerprint text NOT NULL,
        problem jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 1,
        first_rejected_at timestamptz NOT NULL DEFAULT now(),
        rejected_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX command_rejections_rejected_at ON command_rejections (rejected_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE command_rejections`);
    await queryRunner.query(`ALTER TABLE idempotency_keys DROP COLUMN events, DROP COLUMN issued_by`);
  }
}
