import type { Response } from 'express';
import type { CommandAccepted, CommandRoute } from '@tandem/contracts';
import { problemException } from '@tandem/platform/http';
import { IdempotencyKeyReused, type CommandAnswer } from '@tandem/write/persistence';

/** A command's answer as HTTP gives it. */
export interface HttpCommandAnswer {
  status: 200 | 201;
  location?: string;
  body: CommandAccepted;
  replayed?: boolean;
}

/**
 * The one place a command's answer becomes HTTP: a creation is 201 with the new resource's Location (the creating
 * route's path and the new id), a change 200. The answer stored under an idempotency key is this same answer, so a
 * replay is mapped the same way.
 */
export function httpAnswer(route: CommandRoute, answer: CommandAnswer): HttpCommandAnswer {
  const created = answer.outcome === 'created';
  return {
    status: created ? 201 : 200,
    ...(created ? { location: `${route.path}/${answer.body.id}` } : {}),
    body: answer.body,
    ...(answer.replayed ? { replayed: true } : {}),
  };
}

/**
 * Runs a command and writes its answer: status, `Location` for creations, `ETag` with the new version (for a later
 * `If-Match`), and `Idempotent-Replayed` when the answer is the stored one of an earlier identical request.
 */
export async function sendCommand(
  response: Response,
  route: CommandRoute,
  execute: () => Promise<CommandAnswer>,
): Promise<CommandAccepted> {
  let answer: CommandAnswer;
  try {
    answer = await execute();
  } catch (error) {
    // The one error with no place in the shared kinds: HTTP's 422 for a reused key.
    if (error instanceof IdempotencyKeyReused) {
      throw problemException('idempotency.key-reused', error.message, { idempotencyKey: error.key });
    }
    throw error;
  }
  const result = httpAnswer(route, answer);
  response.status(result.status);
  if (result.location) response.setHeader('Location', result.location);
  response.setHeader('ETag', `"${result.body.version}"`);
  if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
  return result.body;
}
