import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `customer_orders.owner_subject`: the account a customer record belongs to (`ce_ownersubject` of its
 * CustomerRegistered), by which the query service shows a customer only its own record and orders. Rows projected
 * before it stay unowned until a rebuild (`npm run projection:rebuild -- customer-orders`) reads the headers again.
 */
export class CustomerOwner1796300000000 implements MigrationInterface {
  name = 'CustomerOwner1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE customer_orders ADD COLUMN owner_subject text`);
    await queryRunner.query(
      `CREATE INDEX customer_orders_owner_subject ON customer_orders (owner_subject) WHERE owner_subject IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX customer_orders_owner_subject`);
    await queryRunner.query(`ALTER TABLE customer_orders DROP COLUMN owner_subject`);
  }
}
