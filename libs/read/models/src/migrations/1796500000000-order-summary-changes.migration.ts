import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `order_summary_changes`: each version an `order_summary` row was committed at, as the row was (jsonb), the last
 * 100 per order. A trigger on `order_summary` writes it in the projection's own transaction, so a change is logged
 * exactly when it commits; the live streams replay it to a client that reconnects with `Last-Event-ID`, so it gets
 * every committed version it missed (docs/api.md, "Live updates"). A rebuild's swap re-creates the trigger on the
 * new table (table-swap.ts).
 */
export class OrderSummaryChanges1796500000000 implements MigrationInterface {
  name = 'OrderSummaryChanges1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE order_summary_changes (
        order_id uuid NOT NULL,
        version int NOT NULL,
        row jsonb NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (order_id, version)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION tandem_order_summary_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' OR NEW.version > OLD.version THEN
          INSERT INTO order_summary_changes (order_id, version, row)
            VALUES (NEW.order_id, NEW.version, to_jsonb(NEW)) ON CONFLICT DO NOTHING;
          -- Every 50th version, what is more than 100 behind goes: at most 150 rows per order.
          IF NEW.version % 50 = 0 THEN
            DELETE FROM order_summary_changes WHERE order_id = NEW.order_id AND version <= NEW.version - 100;
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER order_summary_changes AFTER INSERT OR UPDATE ON order_summary
        FOR EACH ROW EXECUTE FUNCTION tandem_order_summary_changed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS order_summary_changes ON order_summary`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS tandem_order_summary_changed()`);
    await queryRunner.query(`DROP TABLE IF EXISTS order_summary_changes`);
  }
}
