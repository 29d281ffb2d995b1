import type { CommandAccepted } from '@tandem/contracts';
import type { CommandAnswer } from './command-transactions';

/**
 * A key's row as a repeat reads it: `answer` since migration 1764500000000; before it, the answer was stored as
 * HTTP (`response_status`, `response_location`, `response_body`). Those columns stay, and are read, until every
 * key they hold is past its retention; a later migration drops them and this fallback with them.
 */
export interface StoredKey {
  fingerprint: string;
  answer: CommandAnswer | null;
  response_status: number | null;
  response_body: CommandAccepted | null;
}

/** The answer stored under a key, or null while its command is still running. */
export function storedAnswer(key: StoredKey): CommandAnswer | null {
  if (key.answer !== null) return key.answer;
  if (key.response_status === null || key.response_body === null) return null;
  // The previous version answered 201 (with its Location) for a creation and 200 for a change; the HTTP layer
  // derives the same Location again from the route.
  return { outcome: key.response_status === 201 ? 'created' : 'changed', body: key.response_body };
}
