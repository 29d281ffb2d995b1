import { IdempotencyAnswer1764500000000 } from './1764500000000-idempotency-answer.migration';
import { WriteSchema1764400000000 } from './1764400000000-write-schema.migration';
import { InlineModels1796200000000 } from './1796200000000-inline-models.migration';
import { OutboxRetention1796300000000 } from './1796300000000-outbox-retention.migration';

/** Every write-DB migration, in order. Listed explicitly: the apps are bundled, so globs find nothing. */
export const WRITE_MIGRATIONS = [
  WriteSchema1764400000000,
  IdempotencyAnswer1764500000000,
  InlineModels1796200000000,
  OutboxRetention1796300000000,
];
