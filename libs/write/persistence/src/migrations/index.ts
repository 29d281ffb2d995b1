import { IdempotencyAnswer1764500000000 } from './1764500000000-idempotency-answer.migration';
import { WriteSchema1764400000000 } from './1764400000000-write-schema.migration';
import { InlineModels1796200000000 } from './1796200000000-inline-models.migration';
import { CustomerOwner1796300000000 } from './1796300000000-customer-owner.migration';
import { CommandStatus1796400000000 } from './1796400000000-command-status.migration';
import { EventVersions1796400000100 } from './1796400000100-event-versions.migration';
import { OutboxRetention1796500000000 } from './1796500000000-outbox-retention.migration';
import { OutboxLocalWake1796600000000 } from './1796600000000-outbox-local-wake.migration';
import { InlineClaimsHeld1796700000000 } from './1796700000000-inline-claims-held.migration';

/**
 * Every write-DB migration, in order. Listed explicitly: the apps are bundled, so globs find nothing. TypeORM runs
 * them by the timestamp in their names, so each new one takes a later timestamp than every one before it.
 */
export const WRITE_MIGRATIONS = [
  WriteSchema1764400000000,
  IdempotencyAnswer1764500000000,
  InlineModels1796200000000,
  CustomerOwner1796300000000,
  CommandStatus1796400000000,
  EventVersions1796400000100,
  OutboxRetention1796500000000,
  OutboxLocalWake1796600000000,
  InlineClaimsHeld1796700000000,
];
