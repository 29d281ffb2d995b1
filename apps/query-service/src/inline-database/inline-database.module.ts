import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { InlineReader } from '@tandem/inline-models';
import type { Logger } from '@tandem/platform/observability';
import { OpenOrdersReads } from './open-orders.reads';

/** The inline models' reads, over the read-only connection (or none, without `INLINE_DATABASE_URL`). */
@Global()
@Module({})
export class InlineDatabaseModule {
  static register(reader: InlineReader | null, logger: Logger): DynamicModule {
    const providers = [{ provide: OpenOrdersReads, useValue: new OpenOrdersReads(reader, logger) }];
    return { module: InlineDatabaseModule, providers, exports: [OpenOrdersReads] };
  }
}
