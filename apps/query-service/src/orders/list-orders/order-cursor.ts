import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { validationProblem } from '@tandem/platform/http';
import type { OrderKeyset, OrderListFilter } from '@tandem/read/models';

export const CURSOR_SECRET = Symbol('CURSOR_SECRET');

// What a signed cursor decodes to. Checked even though the signature is valid: a cursor signed with a leaked or
// shared secret, or one written by an older version, must be a 400 and never reach SQL as a bad uuid or time.
const CursorBody = z.object({
  t: z.iso.datetime({ offset: true }),
  i: z.uuid(),
  f: z.string(),
});

/**
 * Opaque list cursors: the keyset of the last row served and a digest of the filter, signed with HMAC-SHA256 so a
 * client can neither forge a position nor carry a cursor over to another filter. Clients pass them back unchanged.
 */
export class OrderCursorCodec {
  constructor(private readonly secret: string) {}

  encode(position: OrderKeyset, filter: OrderListFilter): string {
    const body = Buffer.from(
      JSON.stringify({ t: position.createdAt.toISOString(), i: position.orderId, f: filterDigest(filter) }),
    ).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The position, or a 400 problem naming `cursor`. */
  decode(cursor: string, filter: OrderListFilter): OrderKeyset {
    const invalid = (message: string) => validationProblem([{ field: 'cursor', message }]);
    const [body, signature, extra] = cursor.split('.');
    if (!body || !signature || extra !== undefined || cursor.length > 512) {
      throw invalid('is not a cursor returned by this API');
    }
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw invalid('has been altered or was not issued by this API');
    }
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalid('is not a cursor returned by this API');
    }
    const parsed = CursorBody.safeParse(decoded);
    if (!parsed.success) throw invalid('is not a cursor returned by this API');
    if (parsed.data.f !== filterDigest(filter)) {
      throw invalid('belongs to a list with other filters: keep customerId, status, from and to unchanged');
    }
    const createdAt = new Date(parsed.data.t);
    if (Number.isNaN(createdAt.getTime())) throw invalid('is not a cursor returned by this API');
    return { createdAt, orderId: parsed.data.i };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}

function filterDigest(filter: OrderListFilter): string {
  const canonical = JSON.stringify([
    filter.customerId ?? null,
    filter.status ?? null,
    filter.from?.toISOString() ?? null,
    filter.to?.toISOString() ?? null,
    // A cursor is the caller's: another account's list will not take it.
    ...(filter.owner === undefined ? [] : [filter.owner]),
  ]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}
