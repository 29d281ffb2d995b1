import { Controller, Get, HttpCode, Inject, Module, Res, type DynamicModule } from '@nestjs/common';
import type { Response } from 'express';
import { PUBLIC } from '@tandem/contracts';
import { ShutdownState } from './graceful-shutdown';
import { RouteAccess } from './route-access';

/**
 * A dependency the service cannot serve without (its database, Kafka). Throws when it is not reachable; may resolve
 * with details for operators (the outbox's backlog), shown beside its status.
 */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void | Record<string, unknown>>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');
const CHECK_TIMEOUT_MS = 3000;

async function runCheck(check: ReadinessCheck): Promise<{
  name: string;
  status: 'up' | 'down';
  error?: string;
  details?: Record<string, unknown>;
}> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const details = await Promise.race([
      check.check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { name: check.name, status: 'up', ...(details ? { details } : {}) };
  } catch (error) {
    return {
      name: check.name,
      status: 'down',
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Kubernetes probes: live = the process answers; ready = every dependency answers, and it is not shutting down. */
@Controller('health')
@RouteAccess(PUBLIC)
class HealthController {
  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    @Inject(ShutdownState) private readonly shutdown: ShutdownState,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response) {
    if (this.shutdown.shuttingDown) {
      response.status(503);
      return { status: 'shutting-down', checks: [] };
    }
    const results = await Promise.all(this.checks.map(runCheck));
    const ready = results.every((r) => r.status === 'up');
    response.status(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not-ready', checks: results };
  }
}

@Module({})
export class HealthModule {
  /** `checks` is resolved from the app's providers, so checks can use injected connections. */
  static register(options: {
    inject: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
    useFactory: (...deps: never[]) => ReadinessCheck[];
  }): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [
        { provide: READINESS_CHECKS, inject: options.inject, useFactory: options.useFactory },
        ShutdownState,
      ],
    };
  }
}
