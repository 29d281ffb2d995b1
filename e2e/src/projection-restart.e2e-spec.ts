import { randomUUID } from 'node:crypto';
import { call, startE2eStack, type E2eStack } from './support';

/** One order created every this many ms through the gateway: the steady event flow. */
const FLOW_EVERY_MS = 100;

/**
 * Must-show 3 of issue 9: the projection service is killed with SIGKILL (no LeaveGroup, no shutdown) while orders
 * keep being created, and started again at once. Its HTTP server must answer `/health/live` within 2 s of the
 * process starting, and the orders created after the restart must be readable within 10 s of it: its consumer
 * groups may only wait out the dead members' short session timeout (KAFKA_SESSION_TIMEOUT_MS, 6 s), and join
 * together. Nothing created while it was down may be lost. Runs on the development broker, whose group coordinator
 * expires sessions as Apache Kafka does: by the timeout each member asked for.
 */
describe('projection service restart after kill -9', () => {
  let e2e: E2eStack;
  let api: string;

  beforeAll(async () => {
    e2e = await startE2eStack('e2e_restart');
    api = e2e.api;
  }, 150_000);

  afterAll(async () => {
    await e2e?.stop();
  }, 60_000);

  const post = async (path: string, body: unknown): Promise<{ id: string }> => {
    const response = await call('POST', `${api}${path}`, {
      body,
      headers: { 'idempotency-key': randomUUID() },
    });
    if (response.status !== 201)
      throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { id: string };
  };

  const visible = async (orderId: string): Promise<boolean> =>
    (await call('GET', `${api}/orders/${orderId}`)).status === 200;

  /** Polls every 50 ms until `probe` holds; resolves with the time it first held. */
  const until = async (probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await probe().catch(() => false)) return Date.now();
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('is live within 2 s of starting and applies events again within 10 s of the restart', async () => {
    const customer = await post('/customers', {
      name: 'Restart Test',
      email: `restart+${randomUUID().slice(0, 8)}@example.com`,
      currency: 'EUR',
      creditLimit: 100_000,
    });
    const created: Array<{ id: string; at: number }> = [];
    let flowing = true;
    const flow = (async () => {
      while (flowing) {
        const order = await post('/orders', { customerId: customer.id });
        created.push({ id: order.id, at: Date.now() });
        await new Promise((resolve) => setTimeout(resolve, FLOW_EVERY_MS));
      }
    })();
    try {
      // The flow is projected before the kill.
      await until(
        async () => created.length >= 5 && visible(created[created.length - 1]?.id ?? ''),
        10_000,
        'warm',
      );

      const victim = e2e.stack.processes['projection-service'];
      victim.child.kill('SIGKILL');
      await victim.exited;
      const restartedAt = Date.now();
      const service = e2e.stack.respawn('projection-service');

      const liveAt = await until(
        // A probe's own timeout (Kubernetes: 1 s by default) is not what is measured: when the answer comes is.
        async () => (await fetch(`${service.url}/health/live`, { signal: AbortSignal.timeout(2000) })).ok,
        5_000,
        '/health/live',
      );
      // While the groups wait for the dead members' sessions, the service is live but not ready, and says why.
      const readiness = await call('GET', `${service.url}/health/ready`);
      const afterRestart = created.length;
      const readyAt = await until(
        async () => (await fetch(`${service.url}/health/ready`, { signal: AbortSignal.timeout(2000) })).ok,
        15_000,
        '/health/ready',
      );
      // The first order created after the restart, projected by the new process.
      await until(async () => created.length > afterRestart, 5_000, 'an order after the restart');
      const first = created[afterRestart];
      if (!first) throw new Error('no order created after the restart');
      const visibleAt = await until(() => visible(first.id), 15_000, 'order after restart visible');

      console.log(
        `projection service restart after kill -9: live after ${liveAt - restartedAt} ms, ready after ` +
          `${readyAt - restartedAt} ms, an order created ${first.at - restartedAt} ms after the restart readable ` +
          `after ${visibleAt - restartedAt} ms; readiness while joining: ${JSON.stringify(readiness.body)}`,
      );
      expect(liveAt - restartedAt).toBeLessThan(2_000);
      expect(visibleAt - restartedAt).toBeLessThan(10_000);
      expect(readiness.status).toBe(503);
      expect(JSON.stringify(readiness.body)).toContain('still starting');
    } finally {
      flowing = false;
      await flow;
    }
    // Nothing created while the service was down, or since, is lost.
    for (const order of created) await until(() => visible(order.id), 10_000, `order ${order.id}`);
  }, 90_000);
});
