/**
 * The command kept losing the race for its aggregate: every retry found that someone else had written first.
 * Shaped as a coded error so the HTTP layer answers 409 without knowing this class.
 */
export class WriteConflict extends Error {
  readonly code = 'concurrency.conflict';
  readonly kind = 'conflict';
  constructor(attempts: number) {
    super(`The aggregate was changed concurrently; gave up after ${attempts} attempts. Retry the request.`);
    this.name = 'WriteConflict';
  }
}
