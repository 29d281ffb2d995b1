import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { InlineReader } from '@tandem/inline-models';

/** The inline models' reader, or null when the service runs without `INLINE_DATABASE_URL`. */
export const INLINE_READER = Symbol('INLINE_READER');

@Global()
@Module({})
export class InlineDatabaseModule {
  static register(reader: InlineReader | null): DynamicModule {
    const providers = [{ provide: INLINE_READER, useValue: reader }];
    return { module: InlineDatabaseModule, providers, exports: [INLINE_READER] };
  }
}
