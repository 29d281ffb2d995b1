import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every batch moves the checkpoints of the streams it touched: an update that changes no indexed column. With room
 * left on each page it is a heap-only tuple (HOT) update, which writes no index entry; on full pages (the default
 * fillfactor of 100) each one also inserts into the primary key. Pages written from now on keep 30% free.
 */
export class CheckpointFillfactor1795936209000 implements MigrationInterface {
  name = 'CheckpointFillfactor1795936209000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE projection_checkpoints SET (fillfactor = 70)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE projection_checkpoints RESET (fillfactor)`);
  }
}
