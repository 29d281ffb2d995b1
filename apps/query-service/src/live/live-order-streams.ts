import { problemException } from '@tandem/platform/http';
import { counter, gauge, type Logger } from '@tandem/platform/observability';
import {
  ORDER_SUMMARY_PROJECTION,
  type OrderSummaryQueries,
  type OrderSummaryRow,
  type OwnedOrderSummaryRow,
} from '@tandem/read/models';
import type { CheckpointNotice } from '@tandem/read/projections/progress';
import { toOrderView } from '../orders/order.view';
import type { EventStream } from './event-stream';

export interface LiveStreamLimits {
  /** Streams open at once in this replica, over every caller. */
  maxStreams: number;
  /** Streams open at once of one caller (its token's subject). */
  maxStreamsPerPrincipal: number;
}

/** Which orders a list stream shows: an account's own (a customer), one customer's, or all (staff). */
export interface ListScope {
  owner?: string;
  customerId?: string;
}

interface OrderWatcher {
  stream: EventStream;
  /** The version last sent: only a newer row is sent, so nothing goes twice and versions only grow. */
  version: number;
  /**
   * Whether what follows `version` is replayed from the change log (every committed version), or the stream
   * starts at the current row (a new stream, without `Last-Event-ID`: it asked for the order, not its history).
   */
  replay: boolean;
}

interface ListWatcher {
  stream: EventStream;
  scope: ListScope;
  /** When it opened, less a margin: what a notice that names no stream makes it re-read from. */
  since: Date;
  /** The version last sent of each order (bounded: the oldest are forgotten first). */
  sent: Map<string, number>;
}

const SENT_REMEMBERED = 10_000;
/** Rows a list stream re-reads at most when a notice named no stream (a rebuild's swap, a batch of 200+ orders). */
const RESCAN_LIMIT = 1_000;
/** Event times are the write side's: a margin for a clock a little ahead of this replica's. */
const SINCE_MARGIN_MS = 60_000;

/**
 * The live streams of one replica over the order-summary read model. They are woken by the projections'
 * checkpoint notices (the query service's one LISTEN connection, NOTIFY in the projection's transaction, so after
 * its commit), never by a poll while LISTEN works: a notice naming watched orders makes one query of the change
 * log (`order_summary_changes`, written by a trigger in the projection's transaction) and one of the rows, for all of
 * them; each order stream is sent every committed version after the one it last sent, in order, never one twice,
 * also those committed while its client was away (`Last-Event-ID`; the log keeps the last 100 per order). Versions
 * folded into one projection transaction were never committed apart, and arrive as the one committed. Reads run
 * one at a time, so a stream's events leave in version order. List streams show each row as it is when read.
 */
export class LiveOrderStreams {
  private readonly orders = new Map<string, Set<OrderWatcher>>();
  private readonly lists = new Set<ListWatcher>();
  private readonly perPrincipal = new Map<string, number>();
  private total = 0;
  private pending: Set<string> | 'all' | null = null;
  private reading = false;
  private readonly open = gauge('live_streams_open', 'Live streams (Server-Sent Events) open now');
  private readonly refused = counter('live_streams_refused_total', 'Live streams refused over a cap', [
    'cap',
  ]);
  private readonly slow = counter(
    'live_streams_slow_clients_total',
    'Live streams cut because their client did not keep up',
  );

  constructor(
    private readonly queries: OrderSummaryQueries,
    private readonly limits: LiveStreamLimits,
    private readonly logger: Logger,
  ) {}

  /** Takes a place for a caller's stream, or throws 429 `live.too-many-streams`; the returned function frees it. */
  admit(principal: string): () => void {
    const mine = this.perPrincipal.get(principal) ?? 0;
    const cap =
      this.total >= this.limits.maxStreams
        ? 'replica'
        : mine >= this.limits.maxStreamsPerPrincipal
          ? 'principal'
          : null;
    if (cap !== null) {
      this.refused.inc({ cap });
      throw problemException(
        'live.too-many-streams',
        cap === 'replica'
          ? 'This replica has as many live streams open as it may; retry shortly (another replica may take it).'
          : `You have ${mine} live streams open, the most one caller may: close one first.`,
        { cap },
      );
    }
    this.perPrincipal.set(principal, mine + 1);
    this.total += 1;
    this.open.set(this.total);
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.total -= 1;
      this.open.set(this.total);
      const left = (this.perPrincipal.get(principal) ?? 1) - 1;
      if (left === 0) this.perPrincipal.delete(principal);
      else this.perPrincipal.set(principal, left);
    };
  }

  /** Counts a stream cut for a slow client (EventStream's callback). */
  slowClient(): void {
    this.slow.inc();
  }

  /**
   * Watches one order from `afterVersion` (its Last-Event-ID, or 0): the current row is sent at once if newer,
   * then each newer row a notice brings. Registered before the first read, so no commit falls between the two.
   */
  watchOrder(orderId: string, stream: EventStream, afterVersion: number | null): () => void {
    const watcher: OrderWatcher = { stream, version: afterVersion ?? 0, replay: afterVersion !== null };
    const watchers = this.orders.get(orderId) ?? new Set<OrderWatcher>();
    this.orders.set(orderId, watchers);
    watchers.add(watcher);
    this.schedule([orderId]);
    return () => {
      watchers.delete(watcher);
      if (watchers.size === 0 && this.orders.get(orderId) === watchers) this.orders.delete(orderId);
    };
  }

  /** Watches the orders of a scope from now on: each order's row whenever a notice brings a newer version. */
  watchList(scope: ListScope, stream: EventStream): () => void {
    const watcher: ListWatcher = {
      stream,
      scope,
      since: new Date(Date.now() - SINCE_MARGIN_MS),
      sent: new Map(),
    };
    this.lists.add(watcher);
    return () => void this.lists.delete(watcher);
  }

  /** A checkpoint notice: the order summary moved for these orders (or for any, when it names none). */
  notice(notice: CheckpointNotice): void {
    if (notice.projection !== ORDER_SUMMARY_PROJECTION) return;
    if (notice.streams === null) this.schedule('all');
    else if (this.lists.size > 0) this.schedule(notice.streams);
    else {
      const watched = notice.streams.filter((id) => this.orders.has(id));
      if (watched.length > 0) this.schedule(watched);
    }
  }

  /** Notices may have been missed (LISTEN reconnected, or is down): every stream looks for itself. */
  gap(): void {
    if (this.orders.size > 0 || this.lists.size > 0) this.schedule('all');
  }

  /** Heartbeats for idle streams (called once a second by the module's timer). */
  tick(now: number): void {
    for (const watchers of this.orders.values()) for (const w of watchers) w.stream.heartbeat(now);
    for (const w of this.lists) w.stream.heartbeat(now);
  }

  /** Ends every stream (at shutdown: an open stream would hold the server's close); clients reconnect elsewhere. */
  closeAll(): void {
    for (const watchers of this.orders.values()) for (const w of watchers) w.stream.close();
    for (const w of this.lists) w.stream.close();
  }

  /** Streams open now (for tests and the bench). */
  get size(): number {
    return this.total;
  }

  private schedule(ids: readonly string[] | 'all'): void {
    if (ids === 'all' || this.pending === 'all') this.pending = 'all';
    else {
      const pending = this.pending ?? new Set<string>();
      for (const id of ids) pending.add(id);
      this.pending = pending;
    }
    if (!this.reading) void this.drain();
  }

  private async drain(): Promise<void> {
    this.reading = true;
    try {
      while (this.pending !== null) {
        const pending = this.pending;
        this.pending = null;
        try {
          await this.read(pending);
        } catch (error) {
          // The read DB did not answer: the next notice, or the gap the listener reports, reads again.
          this.logger.warn({ err: error }, 'live streams: reading the order summary failed');
        }
      }
    } finally {
      this.reading = false;
    }
  }

  private async read(pending: Set<string> | 'all'): Promise<void> {
    const ids = pending === 'all' ? [...this.orders.keys()] : [...pending];
    // The rows first, then the log: the log is read later, so it holds every version the rows show (but one it
    // never had: applied to a rebuild's table before the swap, or older than it keeps).
    const rows = await this.queries.findManyWithOwner(ids);
    const replayFrom = new Map<string, number>();
    for (const id of ids) {
      for (const watcher of this.orders.get(id) ?? []) {
        if (!watcher.replay) continue;
        replayFrom.set(id, Math.min(replayFrom.get(id) ?? watcher.version, watcher.version));
      }
    }
    const logged = await this.queries.changesAfter(
      [...replayFrom].map(([orderId, after]) => ({ orderId, after })),
    );
    for (const row of logged) this.offerLogged(row);
    // Then each row as read: a new stream's first event, list streams, and a version the log does not have.
    const started = new Set<string>();
    for (const owned of rows) this.offer(owned, started);
    // A stream that has just started from its row follows the log from there: what committed since is read now.
    if (started.size > 0) this.schedule([...started]);
    if (pending !== 'all') return;
    for (const list of [...this.lists]) {
      for (const owned of await this.queries.changedSince(list.scope, list.since, RESCAN_LIMIT)) {
        this.offerList(list, owned);
      }
    }
  }

  /** A version from the change log, to the replaying streams of its order that have not had it. */
  private offerLogged(row: OrderSummaryRow): void {
    for (const watcher of this.orders.get(row.order_id) ?? []) {
      if (!watcher.replay || row.version <= watcher.version) continue;
      watcher.version = row.version;
      watcher.stream.send(String(row.version), 'order', toOrderView(row));
    }
  }

  private offer(owned: OwnedOrderSummaryRow, started: Set<string>): void {
    const { row } = owned;
    for (const watcher of this.orders.get(row.order_id) ?? []) {
      // From its first row on, a stream follows the log.
      if (!watcher.replay) {
        watcher.replay = true;
        started.add(row.order_id);
      }
      if (row.version <= watcher.version) continue;
      watcher.version = row.version;
      watcher.stream.send(String(row.version), 'order', toOrderView(row));
    }
    for (const list of this.lists) this.offerList(list, owned);
  }

  private offerList(list: ListWatcher, { row, owner }: OwnedOrderSummaryRow): void {
    const { scope } = list;
    if (scope.owner !== undefined && owner !== scope.owner) return;
    if (scope.customerId !== undefined && row.customer_id !== scope.customerId) return;
    if (row.version <= (list.sent.get(row.order_id) ?? 0)) return;
    // A row last changed before the stream opened is not a change it was asked for.
    if (Date.parse(row.updated_at) < list.since.getTime()) return;
    list.sent.delete(row.order_id);
    list.sent.set(row.order_id, row.version);
    if (list.sent.size > SENT_REMEMBERED) {
      const oldest = list.sent.keys().next();
      if (!oldest.done) list.sent.delete(oldest.value);
    }
    list.stream.send(`${row.order_id}.${row.version}`, 'order', toOrderView(row));
  }
}
