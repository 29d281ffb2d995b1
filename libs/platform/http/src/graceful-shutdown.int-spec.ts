import { request, Agent } from 'node:http';
import { connect } from 'node:net';
import { Controller, Get, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import pino from 'pino';
import { createHttpApp } from './create-http-app';
import { HealthModule } from './health.module';

let releaseSlow: () => void = () => undefined;
const events: string[] = [];

@Controller()
class SlowController {
  @Get('slow')
  async slow(): Promise<{ ok: true }> {
    await new Promise<void>((resolve) => (releaseSlow = resolve));
    events.push('slow answered');
    return { ok: true };
  }
}

@Injectable()
class Dependency implements OnApplicationShutdown {
  onApplicationShutdown(): void {
    events.push('dependencies stopped');
  }
}

@Module({
  imports: [HealthModule.register({ inject: [], useFactory: () => [] })],
  controllers: [SlowController],
  providers: [Dependency],
})
class SlowModule {}

/** One GET on a kept-alive agent: status, the Connection header, the body. */
function get(port: number, path: string, agent: Agent) {
  return new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (answer) => {
      let body = '';
      answer.on('data', (chunk: Buffer) => (body += chunk.toString()));
      answer.on('end', () =>
        resolve({ status: answer.statusCode ?? 0, connection: answer.headers.connection, body }),
      );
    })
      .on('error', reject)
      .end();
  });
}

/**
 * What a shutdown does on the HTTP side, in order: readiness turns 503 at once (answered with `Connection: close`),
 * the request in flight still gets its answer, and the close does not wait out the 65 s keep-alive of its callers'
 * connections; the services' own resources stop only after that.
 */
it('turns unready, answers the request in flight, closes kept-alive connections and only then stops the rest', async () => {
  const app = await createHttpApp(SlowModule, pino({ level: 'silent' }));
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  const agent = new Agent({ keepAlive: true });
  expect((await get(port, '/health/ready', agent)).status).toBe(200);

  const slow = get(port, '/slow', agent);
  // A probe whose request is under way when the shutdown begins (its last line not sent yet).
  const probe = connect(port, '127.0.0.1');
  await new Promise((resolve) => probe.once('connect', resolve));
  probe.write('GET /health/ready HTTP/1.1\r\nHost: localhost\r\n');
  await new Promise((resolve) => setTimeout(resolve, 100));

  const startedAt = Date.now();
  const closed = app.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const probeAnswer = new Promise<string>((resolve) => {
    let text = '';
    probe.on('data', (chunk: Buffer) => (text += chunk.toString()));
    probe.on('close', () => resolve(text));
  });
  probe.write('\r\n');
  const readiness = await probeAnswer;
  expect(readiness.split('\r\n')[0]).toBe('HTTP/1.1 503 Service Unavailable');
  expect(readiness.toLowerCase()).toContain('connection: close');
  expect(readiness).toContain('"status":"shutting-down"');

  releaseSlow();
  const answer = await slow;
  // Its connection was kept alive when it came; it is closed as soon as it is idle.
  expect(answer.status).toBe(200);
  await closed;
  expect(Date.now() - startedAt).toBeLessThan(3_000);
  expect(events).toEqual(['slow answered', 'dependencies stopped']);
  agent.destroy();
}, 20_000);
