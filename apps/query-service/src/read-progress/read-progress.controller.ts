import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';
import {
  CONSISTENCY_TOKEN_HEADER,
  CUSTOMER_TOPIC,
  definitionOf,
  ORDER_TOPIC,
  READ_ACCESS,
  type CommandProjections,
  type EventTopic,
  type StreamKind,
} from '@tandem/contracts';
import { ConsistencyTokens, principalOf } from '@tandem/platform/auth';
import { RouteAccess, validationProblem } from '@tandem/platform/http';
import { handledTypes } from '@tandem/platform/read-model';
import { ASYNC_READ_MODELS } from '@tandem/read/models';
import { ProjectionProgress } from '@tandem/read/projections/progress';

const TOPIC_OF: Record<StreamKind, EventTopic> = { order: ORDER_TOPIC, customer: CUSTOMER_TOPIC };

/** Per kind of stream, the projections that consume its topic: each checkpoints every event of the stream. */
const CONSUMERS: Record<StreamKind, string[]> = {
  order: consumersOf(TOPIC_OF.order),
  customer: consumersOf(TOPIC_OF.customer),
};

function consumersOf(topic: EventTopic): string[] {
  return ASYNC_READ_MODELS.filter((model) =>
    handledTypes(model).some((type) => definitionOf(type).topic === topic),
  ).map((model) => model.name);
}

/**
 * `GET /read-progress` (internal: the gateway's `GET /api/commands/{key}` asks it): how far each projection that
 * consumes a stream has applied it, for the stream and version a consistency token names. The token is the access
 * check: the command service signed it for this caller, having checked that the caller may see the command, and it
 * is verified here before anything is read. No wait: the answer is the checkpoints as they stand.
 */
@Controller('read-progress')
@RouteAccess(READ_ACCESS.getCommandStatus)
export class ReadProgressController {
  constructor(
    private readonly progress: ProjectionProgress,
    private readonly tokens: ConsistencyTokens,
  ) {}

  @Get()
  async get(@Req() request: Request): Promise<CommandProjections> {
    const raw = request.header(CONSISTENCY_TOKEN_HEADER);
    if (raw === undefined) {
      throw validationProblem([{ field: 'X-Consistency-Token', message: 'is required' }]);
    }
    const token = this.tokens.read(raw.trim(), principalOf(request)?.subject ?? '');
    if ('error' in token) throw validationProblem([{ field: 'X-Consistency-Token', message: token.error }]);
    const projections = await Promise.all(
      CONSUMERS[token.kind].map(async (projection) => {
        const appliedVersion = await this.progress.streamVersion(projection, token.streamId);
        return { projection, appliedVersion, applied: appliedVersion >= token.version };
      }),
    );
    return { projections };
  }
}
