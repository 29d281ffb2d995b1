import { appliedVersion, appliedVersions } from '../bookkeeping/checkpoints';
import type { Queryable } from '../runtime/queryable';
import { lastEventAt } from './projection-status';

/**
 * How far each projection has got, read-only: what reads use for their freshness header and read-your-writes. The
 * query service reads it through `@tandem/read/projections/progress`, which brings nothing of the runtime along.
 */
export class ProjectionProgress {
  constructor(private readonly db: Queryable) {}

  /** The time of the last event the projection applied, or null before its first. */
  lastEventAt(projection: string): Promise<Date | null> {
    return lastEventAt(this.db, projection);
  }

  /** The stream version the projection has applied (0 when it has seen nothing of that stream). */
  streamVersion(projection: string, streamId: string): Promise<number> {
    return appliedVersion(this.db, projection, streamId);
  }

  /** The stream versions the projection has applied, for many streams at once (0 for those it has not seen). */
  async streamVersions(projection: string, streamIds: readonly string[]): Promise<Map<string, number>> {
    const found = await appliedVersions(this.db, projection, streamIds);
    return new Map(streamIds.map((id) => [id, found.get(id) ?? 0]));
  }
}
