/** A read of something the read model does not hold; mapped to 404 by the platform's problem filter. */
export class ReadModelNotFound extends Error {
  override readonly name = 'ReadModelNotFound';
  readonly kind = 'not-found' as const;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
