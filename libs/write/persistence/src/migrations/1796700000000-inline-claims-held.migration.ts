import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `inline_claims_held(claimed)`: fails the statement, with SQLSTATE `TI001`, unless every inline model's claim of
 * the stream held (each element 1). An append whose inline counter models all claimed their checkpoints needs
 * nothing more in its transaction, so the command holds it back to go out with COMMIT, in one round trip; the rare
 * append whose claim misses (a model that has not seen an earlier event of the stream) fails there instead, and the
 * command is run again with the append sent on its own, its answer read and the stream caught up
 * (`PostgresCommandTransactions`, `planInlineAppend`).
 */
export class InlineClaimsHeld1796700000000 implements MigrationInterface {
  name = 'InlineClaimsHeld1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION inline_claims_held(claimed int[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM unnest(claimed) AS c(n) WHERE n IS DISTINCT FROM 1) THEN
          RAISE EXCEPTION 'an inline model''s claim of the stream did not hold' USING ERRCODE = 'TI001';
        END IF;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS inline_claims_held(int[])`);
  }
}
