import { ReadSchema1764380000000 } from './1764380000000-read-schema.migration';
import { CheckpointFillfactor1795936209000 } from './1795936209000-checkpoint-fillfactor.migration';
import { MoneySumsNumeric1796100000000 } from './1796100000000-money-sums-numeric.migration';
import { OrderSummaryLinesChangedAt1796200000000 } from './1796200000000-order-summary-lines-changed-at.migration';
import { CustomerOwner1796300000000 } from './1796300000000-customer-owner.migration';
import { AdminAudit1796300000100 } from './1796300000100-admin-audit.migration';
import { ProjectionRebuilds1796400000000 } from './1796400000000-projection-rebuilds.migration';
import { OrderSummaryChanges1796500000000 } from './1796500000000-order-summary-changes.migration';

/** Every read-DB migration, in order. Listed explicitly: the apps are bundled, so globs find nothing. */
export const READ_MIGRATIONS = [
  ReadSchema1764380000000,
  CheckpointFillfactor1795936209000,
  MoneySumsNumeric1796100000000,
  OrderSummaryLinesChangedAt1796200000000,
  CustomerOwner1796300000000,
  AdminAudit1796300000100,
  ProjectionRebuilds1796400000000,
  OrderSummaryChanges1796500000000,
];
