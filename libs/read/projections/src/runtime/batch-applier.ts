import type { DataSource, QueryRunner } from 'typeorm';
import type { BatchResult, BatchTarget } from './batch-result';
import { ContinuingPath, continuation } from './continuing-path';
import { GeneralPath } from './general-path';
import type { IncomingMessage } from './incoming-message';
import { decodeEnvelope, decodePayload, type DecodedMessage } from './message-decoder';
import type { Projection } from './projection';
import { isTransientError } from './transient-error';

export interface BatchApplierOptions {
  /** Name under which checkpoints, status and dead letters are kept. Default: the projection's name. */
  namespace?: string;
  /** Maps a table to the one actually written (a rebuild writes to copies). Default: the table itself. */
  table?: (name: string) => string;
}

/**
 * The heart of the projection runtime: applies a batch of messages to a read model in ONE transaction together
 * with each stream's checkpoint, so that a crash anywhere leaves either all of the batch or none of it.
 *
 * A batch that continues each of its streams goes through the continuing path (continuing-path.ts); any other, or
 * one the continuing path hands back, through the general path (general-path.ts), which handles duplicates, parks
 * gaps and dead-letters poison (bad envelope, bad JSON, unknown type or major version, invalid payload, handler
 * rejection). A transient failure (database unreachable, deadlock) propagates: the caller retries the whole batch.
 * Any other failure is pinned on its event by re-running the batch with a savepoint around each event.
 */
export class BatchApplier {
  readonly namespace: string;
  private readonly continuing: ContinuingPath;
  private readonly general: GeneralPath;

  constructor(
    private readonly dataSource: DataSource,
    readonly projection: Projection,
    options: BatchApplierOptions = {},
  ) {
    this.namespace = options.namespace ?? projection.name;
    const target: BatchTarget = {
      projection,
      namespace: this.namespace,
      table: options.table ?? ((name) => name),
    };
    this.continuing = new ContinuingPath(dataSource, target);
    this.general = new GeneralPath(target);
  }

  async apply(messages: IncomingMessage[]): Promise<BatchResult> {
    const enveloped = messages.map(decodeEnvelope);
    let payloads: DecodedMessage[] | null = null;
    const decodeAll = (): DecodedMessage[] => (payloads ??= enveloped.map(decodePayload));
    const continuing = continuation(enveloped);
    if (continuing) {
      const result = await this.continuing.apply(continuing, decodeAll);
      if (result) return result;
    }
    const decoded = decodeAll();
    try {
      return await this.inTransaction((runner) => this.applyAll(runner, decoded, false));
    } catch (error) {
      if (isTransientError(error)) throw error;
      return this.inTransaction((runner) => this.applyAll(runner, decoded, true));
    }
  }

  /** Runs `work` in a read-DB transaction; exposed for the replay of dead letters, which reuses the batch logic. */
  async inTransaction<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
      const result = await work(runner);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      // On a dead connection the rollback fails too; the server discards the transaction anyway.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release().catch(() => undefined);
    }
  }

  /** Applies decoded messages inside the caller's transaction, through the general path. */
  applyAll(runner: QueryRunner, decoded: DecodedMessage[], isolateEach: boolean): Promise<BatchResult> {
    return this.general.apply(runner, decoded, isolateEach);
  }
}
