import type { DeadLetterRecord } from '../dead-letters/dead-letters';
import type { Projection } from './projection';

/** What a batch is applied to: its projection, the name its bookkeeping is kept under, the tables it writes. */
export interface BatchTarget {
  projection: Projection;
  namespace: string;
  /** Maps a table to the one actually written (a rebuild writes to copies). */
  table: (name: string) => string;
}

export interface BatchResult {
  /**
   * `continuing`: the batch continued every stream it touched and went through in four round trips; `general`: it
   * held duplicates, gaps, poison or parked successors, or a stream did not stand where it assumed.
   */
  path: 'continuing' | 'general';
  applied: number;
  duplicates: number;
  parked: number;
  deadLettered: DeadLetterRecord[];
  lastEventAt: Date | null;
}
