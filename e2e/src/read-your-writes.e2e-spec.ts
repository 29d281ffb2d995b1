import { randomUUID } from 'node:crypto';
import { call, startE2eStack, type E2eStack } from './support';

interface CommandAnswer {
  id: string;
  version: number;
  consistencyToken: string;
}

interface OrderRead {
  id: string;
  version: number;
  lines: Array<{ sku: string; quantity: number; unitPrice: number }>;
}

const ROUNDS = 100;
const BACKGROUND_CLIENTS = 3;
/** Background clients move to a fresh order before the 100-line limit. */
const BACKGROUND_LINES_PER_ORDER = 90;
/** Each background client pauses this long between commands, so the load stays steady and the test short. */
const BACKGROUND_PAUSE_MS = 20;

/**
 * Read-your-writes end to end (must-show 6): 100 times in a row, while other clients keep the command side, the
 * relay, Kafka and the projections busy, one client adds a line and at once reads its order with the command's
 * consistency token. The read must wait until the projection has applied that write and then show the line, never
 * an older order, and must say `X-Consistency: reached`.
 */
describe('read-your-writes under concurrent load', () => {
  let e2e: E2eStack;
  let api: string;

  beforeAll(async () => {
    e2e = await startE2eStack('e2e_ryw');
    api = e2e.api;
  }, 150_000);

  afterAll(async () => {
    await e2e?.stop();
  }, 60_000);

  const command = async (path: string, body: unknown, expected: number): Promise<CommandAnswer> => {
    const response = await call('POST', `${api}${path}`, {
      body,
      headers: { 'idempotency-key': randomUUID() },
    });
    if (response.status !== expected) {
      throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body as CommandAnswer;
  };

  const registerCustomer = (name: string): Promise<CommandAnswer> =>
    command(
      '/customers',
      {
        name,
        email: `${name.toLowerCase()}+${randomUUID().slice(0, 8)}@example.com`,
        currency: 'EUR',
        creditLimit: 1_000_000_000,
      },
      201,
    );

  it(`${ROUNDS} times in a row, a line just added is in the order read with the token`, async () => {
    const customer = await registerCustomer('Ada');
    const order = await command('/orders', { customerId: customer.id }, 201);

    // Background load: other clients creating orders and adding lines for the whole loop. Their orders share the
    // partitions, the relay batches and the projection batches with ours.
    let running = true;
    let backgroundCommands = 0;
    const backgroundErrors: string[] = [];
    const background = Array.from({ length: BACKGROUND_CLIENTS }, async (_, client) => {
      const owner = await registerCustomer(`Load${client}`);
      backgroundCommands++;
      while (running) {
        const theirs = await command('/orders', { customerId: owner.id }, 201);
        backgroundCommands++;
        for (let line = 0; line < BACKGROUND_LINES_PER_ORDER && running; line++) {
          await command(
            `/orders/${theirs.id}/lines`,
            { sku: `LOAD-${line}`, quantity: 1, unitPrice: 10 },
            200,
          );
          backgroundCommands++;
          await new Promise((resolve) => setTimeout(resolve, BACKGROUND_PAUSE_MS));
        }
      }
    }).map((worker) =>
      worker.catch((error: unknown) => {
        backgroundErrors.push(error instanceof Error ? error.message : String(error));
      }),
    );

    const failures: string[] = [];
    const waitsMs: number[] = [];
    let backgroundDuringLoop: number;
    try {
      // Let the background clients get going before the first round.
      while (backgroundCommands < BACKGROUND_CLIENTS * 3 && backgroundErrors.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const backgroundBefore = backgroundCommands;
      for (let round = 1; round <= ROUNDS; round++) {
        const sku = `RYW-${round}`;
        const added = await command(
          `/orders/${order.id}/lines`,
          { sku, quantity: round, unitPrice: 100 },
          200,
        );
        const started = Date.now();
        const read = await call('GET', `${api}/orders/${order.id}`, {
          headers: { 'x-consistency-token': added.consistencyToken, prefer: 'wait=5' },
        });
        waitsMs.push(Date.now() - started);
        const body = read.body as OrderRead;
        const problems: string[] = [];
        if (read.status !== 200) problems.push(`status ${read.status}`);
        if (read.headers.get('x-consistency') !== 'reached') {
          problems.push(`X-Consistency: ${read.headers.get('x-consistency') ?? '(none)'}`);
        }
        if (read.headers.get('preference-applied') !== 'wait=5') problems.push('Prefer: wait=5 not applied');
        if (!(body?.version >= added.version)) {
          problems.push(`order version ${body?.version} < command version ${added.version}`);
        }
        if (!body?.lines?.some((line) => line.sku === sku && line.quantity === round)) {
          problems.push(`line ${sku} missing (${body?.lines?.length ?? 0} lines)`);
        }
        if (problems.length > 0) failures.push(`round ${round}: ${problems.join('; ')}`);
      }
      backgroundDuringLoop = backgroundCommands - backgroundBefore;
    } finally {
      running = false;
      await Promise.all(background);
    }

    const sorted = [...waitsMs].sort((a, b) => a - b);
    process.stdout.write(
      `read-your-writes: ${ROUNDS} rounds, ${backgroundDuringLoop} background commands during the loop, ` +
        `read with token p50 ${sorted[Math.floor(ROUNDS / 2)]} ms, max ${sorted[ROUNDS - 1]} ms\n`,
    );
    expect(backgroundErrors).toEqual([]);
    expect(failures).toEqual([]);
    // The load really ran alongside the rounds, not before or after them.
    expect(backgroundDuringLoop).toBeGreaterThan(ROUNDS);

    // And the order ends with all 100 lines, in the order they were added.
    const final = await call('GET', `${api}/orders/${order.id}`);
    expect((final.body as OrderRead).lines.map((line) => line.sku)).toEqual(
      Array.from({ length: ROUNDS }, (_, i) => `RYW-${i + 1}`),
    );
  });
});
