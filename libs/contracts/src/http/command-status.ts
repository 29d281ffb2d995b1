import { z } from 'zod';
import { CommandAccepted } from './command-route';

/**
 * What became of a command sent with an `Idempotency-Key` (`GET /api/commands/{idempotencyKey}`): one zod
 * definition for the command service's write-side answer, the query service's projection part, the gateway's
 * composed answer and the OpenAPI document. Objects are open: fields may be added, never removed or retyped.
 */

/** RFC 9457 problem details, as every Tandem service answers errors (libs/platform/http). */
export const ProblemBody = z.looseObject({
  type: z.string().describe('urn:tandem:problem:<code>'),
  title: z.string().describe('Short human-readable summary; do not switch on it'),
  status: z.number().int(),
  detail: z.string().optional().describe('Human-readable explanation of this occurrence'),
  instance: z.string().optional().describe('The request path'),
  code: z.string().describe('Stable machine-readable code, e.g. order.no-lines; switch on this'),
  errors: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .describe('On 400: each invalid field (dotted path, or a query/header name) and what is wrong with it'),
});
export type ProblemBody = z.infer<typeof ProblemBody>;

const Timestamp = z.iso.datetime({ offset: true });

export const COMMAND_STAGES = ['rejected', 'committed', 'published', 'projected'] as const;
export const CommandStage = z
  .enum(COMMAND_STAGES)
  .describe(
    '`rejected`: refused with `problem` (a retry with the same key is judged again); `committed`: its events are ' +
      'in the write DB; `published`: every one of them is on Kafka; `projected`: every projection that consumes ' +
      'them has applied them.',
  );
export type CommandStage = z.infer<typeof CommandStage>;

export const RecordedCommandEvent = z.looseObject({
  eventId: z.uuid().describe('The CloudEvents id (`ce_id`) of the event on Kafka'),
  type: z.string().describe('Event type, e.g. OrderPlaced'),
  streamId: z.uuid().describe('The aggregate (order or customer) the event belongs to: its Kafka key'),
  version: z.number().int().min(1).describe('Version of the stream this event made'),
  recordedAt: Timestamp,
  publishedAt: Timestamp.nullable().describe(
    'When the outbox relay had it acknowledged by Kafka; null until then',
  ),
});
export type RecordedCommandEvent = z.infer<typeof RecordedCommandEvent>;

export const ProjectionProgressOfCommand = z.looseObject({
  projection: z.string().describe('A projection that consumes the events’ topic, e.g. order-summary'),
  appliedVersion: z
    .number()
    .int()
    .min(0)
    .describe('The version of the stream it has applied (0: none of it yet)'),
  applied: z.boolean().describe('It has applied the command’s last event'),
});
export type ProjectionProgressOfCommand = z.infer<typeof ProjectionProgressOfCommand>;

/** The query service's part: how far each projection that reads the stream has got (internal route). */
export const CommandProjections = z.looseObject({ projections: z.array(ProjectionProgressOfCommand) });
export type CommandProjections = z.infer<typeof CommandProjections>;

export const CommandStatus = z.looseObject({
  idempotencyKey: z.string(),
  status: CommandStage,
  problem: ProblemBody.optional().describe('`rejected`: the problem the command was answered with'),
  rejectedAt: Timestamp.optional().describe('`rejected`: when it was last refused'),
  attempts: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('`rejected`: how many times a command with this key was refused'),
  answer: CommandAccepted.optional().describe(
    'Accepted: what the command answered (the consistency token is issued to the caller asking)',
  ),
  committedAt: Timestamp.optional().describe('Accepted: when its transaction committed its events'),
  events: z
    .array(RecordedCommandEvent)
    .optional()
    .describe('Accepted: the events it recorded, each with its publication time'),
  publishedAt: Timestamp.nullable()
    .optional()
    .describe('Accepted: when the last of its events reached Kafka; null while any is still in the outbox'),
  projections: z
    .array(ProjectionProgressOfCommand)
    .optional()
    .describe('Once published: each projection that consumes the events, with the version it has applied'),
});
export type CommandStatus = z.infer<typeof CommandStatus>;
