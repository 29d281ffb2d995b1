import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox trigger's notification becomes optional per transaction: a command transaction whose own process holds
 * the active relay sets `tandem.outbox_notify = 'off'` (SET LOCAL) and wakes that relay in-process after COMMIT
 * instead (`PostgresCommandTransactions`, option `relay`). A NOTIFY costs every committing transaction a turn at a
 * cluster-wide lock held through its commit record's flush (notifying commits do not share a WAL flush), and the
 * relay's connection a wake-up per commit. Every other writer (another replica, an older release, a tool) sets
 * nothing and notifies as before.
 */
export class OutboxLocalWake1796600000000 implements MigrationInterface {
  name = 'OutboxLocalWake1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Unset is NULL, or '' once a SET LOCAL has come and gone in this session: both notify.
        IF current_setting('tandem.outbox_notify', true) IS DISTINCT FROM 'off' THEN
          PERFORM pg_notify('outbox_inserted', '');
        END IF;
        RETURN NULL;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox_inserted', '');
        RETURN NULL;
      END $$`);
  }
}
