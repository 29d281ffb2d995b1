import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeConsistencyToken, encodeConsistencyToken, type ConsistencyToken } from '@tandem/contracts';

/**
 * Consistency tokens as the API issues them: the stream and version (`encodeConsistencyToken`), then `.` and an
 * HMAC-SHA256 of them and the principal's subject. The command service signs; the query service checks the MAC
 * before anything else, so a forged token, or one issued to somebody else, is refused at once and costs no wait.
 * Both services must share the secret (CONSISTENCY_TOKEN_SECRET).
 */
export class ConsistencyTokens {
  constructor(private readonly secret: string) {}

  issue(token: ConsistencyToken, subject: string): string {
    const body = encodeConsistencyToken(token);
    return `${body}.${this.mac(body, subject)}`;
  }

  /** The token, or a message saying why it is refused. */
  read(raw: string, subject: string): ConsistencyToken | { error: string } {
    const dot = raw.lastIndexOf('.');
    if (dot <= 0) return { error: 'consistency token is not one this API issued' };
    const body = raw.slice(0, dot);
    const given = Buffer.from(raw.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(body, subject), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { error: 'consistency token was not issued to this caller, or was altered' };
    }
    return decodeConsistencyToken(body);
  }

  private mac(body: string, subject: string): string {
    return createHmac('sha256', this.secret).update(`${body}\n${subject}`).digest('base64url');
  }
}
