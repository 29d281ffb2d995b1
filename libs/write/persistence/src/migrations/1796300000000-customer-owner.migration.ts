import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A customer record can belong to the account that registered it (ARCHITECTURE decision 11): `owner_subject` is
 * that account's OpenID Connect `sub`, at most one record per account (the unique index), null for a record staff
 * registered for someone. Existing records have no owner: staff reach them as before.
 */
export class CustomerOwner1796300000000 implements MigrationInterface {
  name = 'CustomerOwner1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE customers ADD COLUMN owner_subject text`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX customers_owner_subject ON customers (owner_subject) WHERE owner_subject IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX customers_owner_subject`);
    await queryRunner.query(`ALTER TABLE customers DROP COLUMN owner_subject`);
  }
}
