import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read database: one table set per read model, shaped for the queries it serves, plus the projection runtime's
 * bookkeeping (checkpoints, parked out-of-order events, dead letters, status). Money is bigint minor units.
 */
export class ReadSchema1764380000000 implements MigrationInterface {
  name = 'ReadSchema1764380000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE order_summary (
        order_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        status text NOT NULL,
        currency char(3) NOT NULL,
        lines jsonb NOT NULL DEFAULT '[]'::jsonb,
        line_count integer NOT NULL DEFAULT 0,
        total bigint NOT NULL DEFAULT 0,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        placed_at timestamptz,
        shipped_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text
      )`);
    // Lists are ordered newest first with order_id as tie-breaker: each index serves one filter with that keyset.
    await queryRunner.query(
      `CREATE INDEX order_summary_customer_keyset ON order_summary (customer_id, created_at DESC, order_id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX order_summary_status_keyset ON order_summary (status, created_at DESC, order_id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX order_summary_keyset ON order_summary (created_at DESC, order_id DESC)`,
    );

    // A row can exist before CustomerRegistered is seen (order events travel on another topic): name is then null.
    await queryRunner.query(`
      CREATE TABLE customer_orders (
        customer_id uuid PRIMARY KEY,
        name text,
        email text,
        currency char(3),
        credit_limit bigint,
        draft_count integer NOT NULL DEFAULT 0,
        placed_count integer NOT NULL DEFAULT 0,
        shipped_count integer NOT NULL DEFAULT 0,
        cancelled_count integer NOT NULL DEFAULT 0,
        lifetime_value bigint NOT NULL DEFAULT 0,
        version integer NOT NULL DEFAULT 0,
        registered_at timestamptz,
        updated_at timestamptz NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE daily_sales (
        day date NOT NULL,
        currency char(3) NOT NULL,
        placed_count integer NOT NULL DEFAULT 0,
        placed_total bigint NOT NULL DEFAULT 0,
        shipped_count integer NOT NULL DEFAULT 0,
        shipped_total bigint NOT NULL DEFAULT 0,
        cancelled_count integer NOT NULL DEFAULT 0,
        cancelled_total bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (day, currency)
      )`);

    await queryRunner.query(`
      CREATE TABLE projection_checkpoints (
        projection text NOT NULL,
        stream_id text NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, stream_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE projection_status (
        projection text PRIMARY KEY,
        state text NOT NULL DEFAULT 'running',
        last_event_at timestamptz,
        last_applied_at timestamptz,
        events_applied bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Events that arrived ahead of a missing version wait here, so the partition keeps flowing meanwhile.
    await queryRunner.query(`
      CREATE TABLE projection_parked_events (
        projection text NOT NULL,
        stream_id text NOT NULL,
        version integer NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        "offset" bigint NOT NULL,
        envelope jsonb NOT NULL,
        payload text,
        parked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, stream_id, version)
      )`);

    await queryRunner.query(`
      CREATE TABLE dead_letters (
        id bigserial PRIMARY KEY,
        projection text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        "offset" bigint NOT NULL,
        message_key text,
        headers jsonb NOT NULL,
        payload text,
        stream_id text,
        stream_version integer,
        event_type text,
        reason text NOT NULL,
        error text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        replayed_at timestamptz,
        UNIQUE (projection, topic, partition, "offset")
      )`);
    await queryRunner.query(
      `CREATE INDEX dead_letters_pending ON dead_letters (projection, id) WHERE replayed_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'dead_letters',
      'projection_parked_events',
      'projection_status',
      'projection_checkpoints',
      'daily_sales',
      'customer_orders',
      'order_summary',
    ]) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
