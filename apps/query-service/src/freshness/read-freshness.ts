import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONSISTENCY_TOKEN_HEADER, type StreamKind } from '@tandem/contracts';
import { ConsistencyTokens, principalOf } from '@tandem/platform/auth';
import { validationProblem } from '@tandem/platform/http';
import { inSpan } from '@tandem/platform/observability';
import type { ProjectionName } from '@tandem/read/models';
import { ProjectionProgress } from '@tandem/read/projections/progress';

export const CONSISTENCY_WAIT = Symbol('CONSISTENCY_WAIT');
export const MAX_CONSISTENCY_WAIT_MS = 10_000;
const POLL_MS = 20;

/** Which projection a read answers from, and which kinds of stream that projection checkpoints. */
export interface ReadSource {
  projection: ProjectionName;
  streams: readonly StreamKind[];
}

/**
 * Freshness and read-your-writes for every read. Each answer carries `X-Data-As-Of` (the time of the last event the
 * projection applied). A request with `X-Consistency-Token` first waits, up to the default bound or `Prefer: wait=N`
 * seconds (at most 10), until the projection's checkpoint of that stream reaches the token's version, and then says
 * `X-Consistency: reached` or `behind`: it answers either way, never silently stale.
 */
@Injectable()
export class ReadFreshness {
  constructor(
    private readonly progress: ProjectionProgress,
    @Inject(CONSISTENCY_WAIT) private readonly defaultWaitMs: number,
    private readonly tokens: ConsistencyTokens,
  ) {}

  /** Call before reading: validates and waits for the token, if any. */
  async awaitToken(source: ReadSource, request: Request, response: Response): Promise<void> {
    const raw = request.header(CONSISTENCY_TOKEN_HEADER);
    if (raw === undefined) return;
    // Checked before any wait: a forged token, or one issued to another caller, costs nothing.
    const token = this.tokens.read(raw.trim(), principalOf(request)?.subject ?? '');
    if ('error' in token) throw validationProblem([{ field: 'X-Consistency-Token', message: token.error }]);
    const waitMs = this.waitOf(request, response);
    // A projection that does not consume that kind of stream has nothing to wait for.
    if (!source.streams.includes(token.kind)) {
      response.setHeader('X-Consistency', 'reached');
      return;
    }
    // The wait is a span of its own: a slow read that waited for the projection says so in its trace.
    const attributes = {
      'tandem.projection': source.projection,
      'tandem.consistency.stream_id': token.streamId,
      'tandem.consistency.version': token.version,
      'tandem.consistency.wait_ms': waitMs,
    };
    const outcome = await inSpan('wait for consistency token', attributes, async (span) => {
      const reached = await this.waitFor(source.projection, token.streamId, token.version, waitMs);
      span.setAttribute('tandem.consistency.outcome', reached ? 'reached' : 'behind');
      return reached ? 'reached' : 'behind';
    });
    response.setHeader('X-Consistency', outcome);
  }

  /** Polls the projection's checkpoint of the stream until it reaches `version` (true) or `waitMs` passed. */
  private async waitFor(
    projection: ProjectionName,
    streamId: string,
    version: number,
    waitMs: number,
  ): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if ((await this.progress.streamVersion(projection, streamId)) >= version) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))),
      );
    }
  }

  /** Sets `X-Data-As-Of`: the last event the projection applied (the Unix epoch before its first). */
  async stamp(source: ReadSource, response: Response): Promise<void> {
    const at = await this.progress.lastEventAt(source.projection);
    response.setHeader('X-Data-As-Of', (at ?? new Date(0)).toISOString());
  }

  private waitOf(request: Request, response: Response): number {
    const prefer = request.header('prefer');
    const match = prefer ? /(?:^|[,;\s])wait\s*=\s*"?(\d{1,6})"?/i.exec(prefer) : null;
    if (!match) return this.defaultWaitMs;
    const seconds = Math.min(Number(match[1]), MAX_CONSISTENCY_WAIT_MS / 1000);
    response.setHeader('Preference-Applied', `wait=${seconds}`);
    return seconds * 1000;
  }
}
