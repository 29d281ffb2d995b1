import type { HeldWrite } from '@tandem/platform/sql';
import type { QueryRunner } from 'typeorm';

export { isUniqueViolation } from '@tandem/platform/sql';

/**
 * Typed access to one query runner's connection: rows of a SELECT or RETURNING, or the count of rows changed. A
 * write whose answer nobody needs can be held (`hold`) to go out with the transaction's COMMIT (`takeHeld`), in the
 * same round trip; any statement sent before then sends the held ones first, in order, so it sees them.
 */
export class Sql {
  private held: HeldWrite[] = [];

  constructor(private readonly runner: QueryRunner) {}

  async rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    await this.flush();
    const result = await this.runner.query(sql, params, true);
    return (result.records ?? []) as T[];
  }

  async affected(sql: string, params: unknown[] = []): Promise<number> {
    await this.flush();
    const result = await this.runner.query(sql, params, true);
    return result.affected ?? 0;
  }

  /** Holds a write for the commit's round trip. Its errors (a unique violation, say) surface at COMMIT. */
  hold(sql: string, params: unknown[]): void {
    this.held.push({ sql, params });
  }

  /** The held writes, in order, for the commit to send; none are held after. */
  takeHeld(): HeldWrite[] {
    return this.held.splice(0);
  }

  private async flush(): Promise<void> {
    for (const { sql, params } of this.takeHeld()) await this.runner.query(sql, params, true);
  }
}
