import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inline read models on the write DB (ARCHITECTURE decision 12): their bookkeeping and the first model's table.
 * `inline_checkpoints` says, per model and order stream, the version up to which the model reflects the stream
 * (events it does not read count as reflected); `inline_models` says which models have been filled from the event
 * store, so are to be trusted. `customer_exposure` is declared by `libs/inline-models` (customer-exposure.model.ts):
 * the migration test compares the two.
 */
export class InlineModels1796200000000 implements MigrationInterface {
  name = 'InlineModels1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Updated in place by commands (one row per model and stream): room on each page keeps the updates HOT.
    await queryRunner.query(`
      CREATE TABLE inline_checkpoints (
        model text NOT NULL,
        stream_id uuid NOT NULL,
        version integer NOT NULL CHECK (version >= 0),
        PRIMARY KEY (model, stream_id)
      ) WITH (fillfactor = 80)`);
    await queryRunner.query(`
      CREATE TABLE inline_models (
        model text PRIMARY KEY,
        filled_at timestamptz NOT NULL,
        caught_up_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE customer_exposure (
        customer_id uuid PRIMARY KEY,
        currency char(3) NOT NULL,
        open_count integer NOT NULL DEFAULT 0,
        open_total numeric NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL
      ) WITH (fillfactor = 80)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE customer_exposure`);
    await queryRunner.query(`DROP TABLE inline_models`);
    await queryRunner.query(`DROP TABLE inline_checkpoints`);
  }
}
