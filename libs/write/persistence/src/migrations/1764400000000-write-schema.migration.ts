import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The write database: the Order event store, the Customer state table, the transactional outbox and the
 * idempotency keys of commands. Money is bigint minor units.
 */
export class WriteSchema1764400000000 implements MigrationInterface {
  name = 'WriteSchema1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // UNIQUE (stream_id, version) is the optimistic concurrency check: of two writers that loaded the same
    // version, the second insert fails (after waiting for the first to commit) and is retried on the new state.
    await queryRunner.query(`
      CREATE TABLE events (
        position bigserial PRIMARY KEY,
        stream_id uuid NOT NULL,
        stream_type text NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        event_id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, version)
      )`);

    await queryRunner.query(`
      CREATE TABLE customers (
        customer_id uuid PRIMARY KEY,
        name text NOT NULL,
        email text NOT NULL,
        currency char(3) NOT NULL,
        credit_limit bigint NOT NULL CHECK (credit_limit >= 0),
        version integer NOT NULL CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Catches the race that the handler's "is this email taken?" read cannot: two registrations in flight at once.
    await queryRunner.query(`CREATE UNIQUE INDEX customers_email_unique ON customers (lower(email))`);

    // Positions are handed out before commit, so they do not give commit order: the relay never keeps a position
    // cursor, it takes every committed row still without published_at (see outbox-relay.ts). xid records the
    // writing transaction, to trace a row back to its command.
    await queryRunner.query(`
      CREATE TABLE outbox (
        position bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        topic text NOT NULL,
        message_key text NOT NULL,
        envelope jsonb NOT NULL,
        payload jsonb NOT NULL,
        xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL`,
    );
    // The notification is delivered when the inserting transaction commits, which is exactly when the relay can act.
    await queryRunner.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox_inserted', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
    );

    // The key row is inserted first in the command's transaction: a concurrent repeat blocks on it and then reads
    // the committed response. Rows older than the retention are deleted by the relay's housekeeping.
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        key text PRIMARY KEY,
        fingerprint text NOT NULL,
        response_status integer,
        response_location text,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
    await queryRunner.query(`DROP TABLE outbox`);
    await queryRunner.query(`DROP FUNCTION outbox_notify()`);
    await queryRunner.query(`DROP TABLE customers`);
    await queryRunner.query(`DROP TABLE events`);
  }
}
