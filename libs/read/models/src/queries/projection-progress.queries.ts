import type { DataSource } from 'typeorm';
import { ProjectionCheckpointEntity } from '../entities/projection-checkpoint.entity';
import { ProjectionStatusEntity } from '../entities/projection-status.entity';

/** How far each projection has got: what reads use for freshness headers and read-your-writes. */
export class ProjectionProgressQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The time of the last event the projection applied, or null before its first. */
  async lastEventAt(projection: string): Promise<Date | null> {
    const row = await this.dataSource.getRepository(ProjectionStatusEntity).findOneBy({ projection });
    return row?.lastEventAt ?? null;
  }

  /** The stream version the projection has applied (0 when it has seen nothing of that stream). */
  async streamVersion(projection: string, streamId: string): Promise<number> {
    const row = await this.dataSource
      .getRepository(ProjectionCheckpointEntity)
      .findOneBy({ projection, streamId });
    return row?.version ?? 0;
  }
}
