import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint-number.transformer';

/** Progress of one projection: the time of the last event it applied is what reads report as their freshness. */
@Entity({ name: 'projection_status' })
export class ProjectionStatusEntity {
  @PrimaryColumn({ type: 'text' })
  projection!: string;

  @Column({ type: 'text' })
  state!: string;

  @Column({ name: 'last_event_at', type: 'timestamptz', nullable: true })
  lastEventAt!: Date | null;

  @Column({ name: 'last_applied_at', type: 'timestamptz', nullable: true })
  lastAppliedAt!: Date | null;

  @Column({ name: 'events_applied', type: 'bigint', transformer: bigintNumber })
  eventsApplied!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
