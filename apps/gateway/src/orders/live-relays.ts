import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { Response } from 'express';
import { problemException } from '@tandem/platform/http';

/**
 * The live streams this gateway replica relays now, capped (SSE_MAX_STREAMS): each holds a client connection and
 * an upstream one. Ended at shutdown, before the server closes (an open stream would keep it open); clients then
 * reconnect, with Last-Event-ID, through another replica.
 */
export class LiveRelays implements BeforeApplicationShutdown {
  private readonly open = new Set<Response>();

  constructor(private readonly maxStreams: number) {}

  /** Counts the stream in until its response closes, or throws 429 `live.too-many-streams` over the cap. */
  admit(response: Response): void {
    if (this.open.size >= this.maxStreams) {
      throw problemException(
        'live.too-many-streams',
        'This gateway relays as many live streams as it may; retry shortly.',
        { cap: 'replica' },
      );
    }
    this.open.add(response);
    response.on('close', () => this.open.delete(response));
  }

  get size(): number {
    return this.open.size;
  }

  beforeApplicationShutdown(): void {
    for (const response of this.open) response.end();
  }
}
