import { counter, gauge, type Logger } from '@tandem/platform/observability';
import type { CheckpointNotice, ProjectionProgress } from '@tandem/read/projections/progress';
import { CheckpointListener } from './checkpoint-listener';

/** How a wait ended: the checkpoint reached the version, the time ran out, or a cap refused to wait at all. */
export type WaitOutcome = 'reached' | 'behind' | 'refused';

export interface CheckpointWaitOptions {
  /** Waits at once in this replica, over every caller. */
  maxWaits: number;
  /** Waits at once of one caller (a principal's subject, or its address before authentication). */
  maxWaitsPerPrincipal: number;
  /** How often the waiting streams are read anyway: notices can be missed (a reconnect). */
  recheckMs: number;
  /** How often they are read while no notification can arrive (the LISTEN connection is down). */
  pollMs: number;
  /** Whether notifications arrive now. */
  listening: () => boolean;
}

interface Waiter {
  version: number;
  settle: (reached: boolean) => void;
}

/**
 * The reads waiting for a consistency token, in one registry per replica: each waits on a timer, not in a loop,
 * and is woken when a checkpoint notice names its stream (or its projection as a whole). Then ONE query reads
 * the checkpoints of every stream that notice concerns and settles the waits they reach; the same query runs
 * every `recheckMs` for all waiting streams (every `pollMs` while notifications are down). So 190 reads waiting on
 * streams that never move cost one query a second, not 190 every 20 ms.
 *
 * Waits are capped per caller and per replica: a read over a cap does not wait, it is answered at once with what
 * the checkpoint says then (`X-Consistency: behind` unless it was already reached).
 */
export class CheckpointWaits {
  private readonly waiting = new Map<string, Map<string, Set<Waiter>>>();
  private readonly perPrincipal = new Map<string, number>();
  private total = 0;
  private readonly pending = new Map<string, Set<string> | 'all'>();
  private readonly checking = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private timerMs = 0;
  private readonly active = gauge('consistency_waits_active', 'Reads waiting for a consistency token now');
  private readonly refused = counter(
    'consistency_waits_refused_total',
    'Reads that did not wait for their consistency token, over a cap',
    ['cap'],
  );

  constructor(
    private readonly progress: ProjectionProgress,
    private readonly options: CheckpointWaitOptions,
  ) {}

  /** Waits up to `waitMs` for the projection's checkpoint of the stream to reach `version`. */
  async wait(
    projection: string,
    streamId: string,
    version: number,
    waitMs: number,
    caller: string,
  ): Promise<WaitOutcome> {
    const mine = this.perPrincipal.get(caller) ?? 0;
    const cap =
      this.total >= this.options.maxWaits
        ? 'replica'
        : mine >= this.options.maxWaitsPerPrincipal
          ? 'principal'
          : null;
    if (cap !== null || waitMs === 0) {
      const reached = (await this.progress.streamVersion(projection, streamId)) >= version;
      if (reached) return 'reached';
      if (cap === null) return 'behind';
      this.refused.inc({ cap });
      return 'refused';
    }
    this.perPrincipal.set(caller, mine + 1);
    this.total += 1;
    this.active.set(this.total);
    try {
      return (await this.registered(projection, streamId, version, waitMs)) ? 'reached' : 'behind';
    } finally {
      this.total -= 1;
      this.active.set(this.total);
      const left = (this.perPrincipal.get(caller) ?? 1) - 1;
      if (left === 0) this.perPrincipal.delete(caller);
      else this.perPrincipal.set(caller, left);
    }
  }

  /** A notice: re-read the waiting streams it names (all of the projection's when it names none). */
  notice(notice: CheckpointNotice): void {
    const streams = this.waiting.get(notice.projection);
    if (streams === undefined) return;
    if (notice.streams === null) return this.schedule(notice.projection, 'all');
    const concerned = notice.streams.filter((id) => streams.has(id));
    if (concerned.length > 0) this.schedule(notice.projection, concerned);
  }

  /** Notices may have been missed: re-read every waiting stream, and poll or re-check at the current pace. */
  gap(): void {
    for (const projection of this.waiting.keys()) this.schedule(projection, 'all');
    this.pace();
  }

  /** How many reads wait now (for tests and the bench). */
  get size(): number {
    return this.total;
  }

  private registered(
    projection: string,
    streamId: string,
    version: number,
    waitMs: number,
  ): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const streams = this.waiting.get(projection) ?? new Map<string, Set<Waiter>>();
      this.waiting.set(projection, streams);
      const waiters = streams.get(streamId) ?? new Set<Waiter>();
      streams.set(streamId, waiters);
      const timeout = setTimeout(() => waiter.settle(false), waitMs);
      const waiter: Waiter = {
        version,
        settle: (reached) => {
          clearTimeout(timeout);
          waiters.delete(waiter);
          if (waiters.size === 0) streams.delete(streamId);
          if (streams.size === 0) this.waiting.delete(projection);
          if (this.waiting.size === 0) this.stopTimer();
          resolve(reached);
        },
      };
      waiters.add(waiter);
      // Registered first, then read: a commit between the read and the registration cannot be missed.
      this.schedule(projection, [streamId]);
      this.pace();
    });
  }

  private schedule(projection: string, streams: readonly string[] | 'all'): void {
    const pending = this.pending.get(projection);
    if (streams === 'all' || pending === 'all') this.pending.set(projection, 'all');
    else this.pending.set(projection, new Set([...(pending ?? []), ...streams]));
    if (!this.checking.has(projection)) void this.check(projection);
  }

  /** Reads the pending streams' checkpoints in one query and settles the waits they reach; again while more came. */
  private async check(projection: string): Promise<void> {
    this.checking.add(projection);
    try {
      for (;;) {
        const pending = this.pending.get(projection);
        this.pending.delete(projection);
        const streams = this.waiting.get(projection);
        if (pending === undefined || streams === undefined) return;
        const ids = pending === 'all' ? [...streams.keys()] : [...pending].filter((id) => streams.has(id));
        if (ids.length === 0) continue;
        let versions: Map<string, number>;
        try {
          versions = await this.progress.streamVersions(projection, ids);
        } catch {
          // The read DB did not answer: the next notice or re-check tries again; each wait ends on its timer.
          continue;
        }
        for (const id of ids) {
          const applied = versions.get(id) ?? 0;
          for (const waiter of [...(streams.get(id) ?? [])])
            if (applied >= waiter.version) waiter.settle(true);
        }
      }
    } finally {
      this.checking.delete(projection);
    }
  }

  /** One timer for every wait: a re-check each second while notified, a poll while not. */
  private pace(): void {
    if (this.waiting.size === 0) return this.stopTimer();
    const ms = this.options.listening() ? this.options.recheckMs : this.options.pollMs;
    if (this.timer !== undefined && this.timerMs === ms) return;
    this.stopTimer();
    this.timerMs = ms;
    this.timer = setInterval(() => {
      for (const projection of this.waiting.keys()) this.schedule(projection, 'all');
      this.pace();
    }, ms);
    this.timer.unref();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** The waits of one replica and their LISTEN connection, started together and closed together. */
export async function startCheckpointWaits(options: {
  databaseUrl: string;
  progress: ProjectionProgress;
  logger: Logger;
  maxWaits: number;
  maxWaitsPerPrincipal: number;
  recheckMs?: number;
  /** Others woken by the same notices (the live streams), on the same one connection. */
  observers?: ReadonlyArray<{ notice(notice: CheckpointNotice): void; gap(): void }>;
}): Promise<{ waits: CheckpointWaits; listening(): boolean; close(): Promise<void> }> {
  const waits = new CheckpointWaits(options.progress, {
    maxWaits: options.maxWaits,
    maxWaitsPerPrincipal: options.maxWaitsPerPrincipal,
    recheckMs: options.recheckMs ?? 1_000,
    pollMs: 50,
    // Read only once the listener below exists (the first wait comes after start).
    listening: () => listener.state === 'listening',
  });
  const listener = new CheckpointListener({
    databaseUrl: options.databaseUrl,
    logger: options.logger,
    onNotice: (notice) => {
      waits.notice(notice);
      for (const observer of options.observers ?? []) observer.notice(notice);
    },
    onGap: () => {
      waits.gap();
      for (const observer of options.observers ?? []) observer.gap();
    },
  });
  await listener.start();
  return { waits, listening: () => listener.state === 'listening', close: () => listener.close() };
}
