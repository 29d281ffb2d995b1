/** A request that cannot be decoded: the connection is closed, since its framing can no longer be trusted. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}
