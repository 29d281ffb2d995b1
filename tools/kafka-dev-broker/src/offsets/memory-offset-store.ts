import type { OffsetStore } from '../groups';

/** Without a data dir the coordinator's own cache is the only copy: nothing to load, nothing to keep. */
export class MemoryOffsetStore implements OffsetStore {
  async load(): Promise<[]> {
    return [];
  }

  save(): void {
    // The coordinator already holds the offset in memory.
  }
}
