import { Module, type Type } from '@nestjs/common';
import { AccessTokenVerifier, AuthModule, verifierOptionsOf } from '@tandem/platform/auth';
import { HealthModule } from '@tandem/platform/http';
import { ProjectionsController } from './admin/projections.controller';
import { commandController } from './commands/command-controllers';
import { CommandStatusController } from './commands/command-status.controller';
import { AsyncApiController } from './docs/asyncapi.controller';
import type { GatewayConfig } from './config';
import { CustomersController } from './customers/customers.controller';
import { upstreamReadinessChecks } from './health/upstream-readiness';
import { LiveRelays } from './orders/live-relays';
import { OrdersController } from './orders/orders.controller';
import { ReportsController } from './reports/reports.controller';
import { Upstreams, UpstreamsModule } from './upstream/upstreams';

/** The gateway's module, for one configuration (tests build one per set of stand-in upstreams). */
export function createAppModule(config: GatewayConfig): Type<unknown> {
  @Module({
    imports: [
      AuthModule.register(new AccessTokenVerifier(verifierOptionsOf(config))),
      UpstreamsModule.register(config),
      HealthModule.register({ inject: [Upstreams], useFactory: upstreamReadinessChecks }),
    ],
    // Commands before reads, per resource: the document lists each path's command first, as it always has.
    controllers: [
      commandController('customers'),
      CustomersController,
      commandController('orders'),
      OrdersController,
      ReportsController,
      CommandStatusController,
      ProjectionsController,
      AsyncApiController,
    ],
    providers: [{ provide: LiveRelays, useValue: new LiveRelays(config.SSE_MAX_STREAMS) }],
  })
  class AppModule {}
  return AppModule;
}
