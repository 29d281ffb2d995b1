import { Client } from 'pg';
import type { Logger } from '@tandem/platform/observability';
import {
  CHECKPOINTS_CHANNEL,
  parseCheckpointNotice,
  type CheckpointNotice,
} from '@tandem/read/projections/progress';

export type ListenerState = 'connecting' | 'listening' | 'closed';

/**
 * ONE connection per query-service replica that LISTENs for the projections' checkpoint notifications
 * (`CHECKPOINTS_CHANNEL`, sent in the transaction that moves them, so delivered on commit). Each notice goes to
 * `onNotice`. A lost connection is reconnected with backoff; while it is down, and once it is back (a notice may
 * have been missed meanwhile), `onGap` tells the waiting reads to look for themselves.
 */
export class CheckpointListener {
  private client: Client | null = null;
  private stateNow: ListenerState = 'connecting';
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly options: {
      databaseUrl: string;
      logger: Logger;
      onNotice: (notice: CheckpointNotice) => void;
      onGap: () => void;
    },
  ) {}

  get state(): ListenerState {
    return this.stateNow;
  }

  /** Connects and LISTENs; resolves either way (on failure it keeps retrying in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.stateNow = 'closed';
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async connect(): Promise<void> {
    if (this.stateNow === 'closed') return;
    const { logger } = this.options;
    const client = new Client({
      connectionString: this.options.databaseUrl,
      application_name: 'query-service-checkpoints',
      keepAlive: true,
    });
    this.client = client;
    client.on('notification', (message) => {
      if (message.channel !== CHECKPOINTS_CHANNEL) return;
      const notice = parseCheckpointNotice(message.payload);
      // A payload this version cannot read still says that something moved.
      if (notice) this.options.onNotice(notice);
      else this.options.onGap();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHECKPOINTS_CHANNEL}`);
      if (this.client !== client) return;
      this.stateNow = 'listening';
      this.failures = 0;
      logger.info(
        'waiting reads wake on checkpoint notifications (LISTEN), re-checking every second as well',
      );
      this.options.onGap();
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: Client, error: unknown): void {
    if (this.client !== client || this.stateNow === 'closed') return;
    this.client = null;
    client.end().catch(() => undefined);
    const wasListening = this.stateNow === 'listening';
    this.stateNow = 'connecting';
    this.failures += 1;
    if (wasListening || this.failures === 1) {
      this.options.logger.warn(
        { err: error },
        'checkpoint notifications unavailable (LISTEN failed or its connection was lost): waiting reads poll the checkpoints until it is back',
      );
    }
    this.options.onGap();
    const delay = Math.min(200 * 2 ** Math.min(this.failures - 1, 5), 5_000);
    this.retry = setTimeout(() => void this.connect(), delay);
    this.retry.unref();
  }
}
