import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { GatewayConfig } from '../config';
import { Upstream } from './upstream';

/** The three services the gateway fronts, built once from configuration and injected where routes need them. */
export class Upstreams implements OnApplicationShutdown {
  readonly command: Upstream;
  readonly query: Upstream;
  readonly projection: Upstream;

  constructor(config: GatewayConfig) {
    this.command = new Upstream('command-service', config.COMMAND_SERVICE_URL, config.UPSTREAM_TIMEOUT_MS);
    this.query = new Upstream('query-service', config.QUERY_SERVICE_URL, config.UPSTREAM_TIMEOUT_MS);
    this.projection = new Upstream(
      'projection-service',
      config.PROJECTION_SERVICE_URL,
      config.UPSTREAM_TIMEOUT_MS,
    );
  }

  all(): Upstream[] {
    return [this.command, this.query, this.projection];
  }

  onApplicationShutdown(): void {
    for (const upstream of this.all()) upstream.close();
  }
}

// Global so that the health module's readiness checks can inject it too.
@Global()
@Module({})
export class UpstreamsModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: UpstreamsModule,
      providers: [{ provide: Upstreams, useValue: new Upstreams(config) }],
      exports: [Upstreams],
    };
  }
}
