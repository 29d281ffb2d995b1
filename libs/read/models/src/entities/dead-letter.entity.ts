import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A message a projection could not apply and a retry cannot fix, kept with its error until an operator replays it. */
@Entity({ name: 'dead_letters' })
export class DeadLetterEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  projection!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'integer' })
  partition!: number;

  @Column({ type: 'bigint' })
  offset!: string;

  @Column({ name: 'message_key', type: 'text', nullable: true })
  messageKey!: string | null;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @Column({ type: 'text', nullable: true })
  payload!: string | null;

  @Column({ name: 'stream_id', type: 'text', nullable: true })
  streamId!: string | null;

  @Column({ name: 'stream_version', type: 'integer', nullable: true })
  streamVersion!: number | null;

  @Column({ name: 'event_type', type: 'text', nullable: true })
  eventType!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  error!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt!: Date | null;
}
