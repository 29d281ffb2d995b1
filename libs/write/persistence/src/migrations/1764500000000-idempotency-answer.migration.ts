import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An idempotency key's answer becomes one opaque JSON value, `answer`, which the command service's HTTP layer maps
 * to a status and headers. Expand only: `response_status`, `response_location` and `response_body` stay, so that
 * keys answered before the upgrade (or by a replica not yet upgraded) still replay (see stored-answer.ts). Once
 * every replica writes `answer` and the retention (25 h) has passed, a later migration drops them.
 */
export class IdempotencyAnswer1764500000000 implements MigrationInterface {
  name = 'IdempotencyAnswer1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE idempotency_keys ADD COLUMN answer jsonb`);
  }

  // Keys answered since the upgrade lose their answer: the previous version cannot replay them.
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE idempotency_keys DROP COLUMN answer`);
  }
}
