import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONSISTENCY_TOKEN_HEADER, type StreamKind } from '@tandem/contracts';
import { ConsistencyTokens, principalOf } from '@tandem/platform/auth';
import { validationProblem } from '@tandem/platform/http';
import { inSpan } from '@tandem/platform/observability';
import type { ProjectionName } from '@tandem/read/models';
import { ProjectionProgress } from '@tandem/read/projections/progress';
import { CheckpointWaits } from './checkpoint-waits';

export const CONSISTENCY_WAIT = Symbol('CONSISTENCY_WAIT');
export const MAX_CONSISTENCY_WAIT_MS = 10_000;

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
    private readonly waits: CheckpointWaits,
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
    // Capped per caller: its subject once authenticated, its address before (checkpoint-waits.ts).
    const caller = principalOf(request)?.subject ?? `ip ${request.ip ?? 'unknown'}`;
    const outcome = await inSpan('wait for consistency token', attributes, async (span) => {
      const ended = await this.waits.wait(source.projection, token.streamId, token.version, waitMs, caller);
      span.setAttribute('tandem.consistency.outcome', ended);
      // Over a cap the read did not wait: it says honestly that it is behind the token.
      return ended === 'reached' ? 'reached' : 'behind';
    });
    response.setHeader('X-Consistency', outcome);
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
