import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `order_summary.lines_changed_at`: the time of the order's last line added or removed. Rows projected before this
 * migration hold NULL until the order's next line change, or until a rebuild (`npm run projection:rebuild --
 * order-summary`) fills every row from the log.
 */
export class OrderSummaryLinesChangedAt1796200000000 implements MigrationInterface {
  name = 'OrderSummaryLinesChangedAt1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE order_summary ADD COLUMN lines_changed_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE order_summary DROP COLUMN lines_changed_at`);
  }
}
