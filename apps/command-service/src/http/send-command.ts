import type { Response } from 'express';
import type { CommandAccepted } from '@tandem/contracts';
import { problemException } from '@tandem/platform/http';
import { IdempotencyKeyReused, type CommandResponse } from '@tandem/write/persistence';

/**
 * Runs a command and writes its answer: status, `Location` for creations, `ETag` with the new version (for a later
 * `If-Match`), and `Idempotent-Replayed` when the answer is the stored one of an earlier identical request.
 */
export async function sendCommand(
  response: Response,
  execute: () => Promise<CommandResponse>,
): Promise<CommandAccepted> {
  let result: CommandResponse;
  try {
    result = await execute();
  } catch (error) {
    // The one error with no place in the shared kinds: HTTP's 422 for a reused key.
    if (error instanceof IdempotencyKeyReused) {
      throw problemException('idempotency.key-reused', error.message, { idempotencyKey: error.key });
    }
    throw error;
  }
  response.status(result.status);
  if (result.location) response.setHeader('Location', result.location);
  response.setHeader('ETag', `"${result.body.version}"`);
  if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
  return result.body;
}
