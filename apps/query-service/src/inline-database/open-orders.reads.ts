import { findOpenOrders, type InlineReader, type OpenOrders } from '@tandem/inline-models';
import type { Logger } from '@tandem/platform/observability';

/**
 * A customer's open orders, from the inline model; null when they cannot be told: the service runs without an
 * inline connection, the model is not filled yet, or its database does not answer (logged). The rest of a customer
 * read, and every other read, does not depend on that database: an outage of the write DB's replica degrades this
 * field, it does not take the query service out of service.
 */
export class OpenOrdersReads {
  constructor(
    private readonly reader: InlineReader | null,
    private readonly logger: Logger,
  ) {}

  async of(customerId: string): Promise<OpenOrders | null> {
    if (this.reader === null) return null;
    try {
      return await findOpenOrders(this.reader, customerId);
    } catch (error) {
      this.logger.warn(
        { err: error, customerId },
        'inline database unavailable: open orders answered as null',
      );
      return null;
    }
  }
}
