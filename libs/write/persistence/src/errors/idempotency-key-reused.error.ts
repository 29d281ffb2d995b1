/** The `Idempotency-Key` was already used for a different request (another body, method or path). */
export class IdempotencyKeyReused extends Error {
  readonly code = 'idempotency.key-reused';
  constructor(readonly key: string) {
    super(`Idempotency-Key "${key}" was already used for a different request.`);
    this.name = 'IdempotencyKeyReused';
  }
}
