import { randomUUID } from 'node:crypto';
import type { components, TandemClient } from '@tandem/client';
import { startE2eStack, type E2eStack } from './support';

type CommandAnswer = components['schemas']['CommandAccepted'];

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
 * an older order, and must say `X-Consistency: reached`. Every call goes through the typed client; the round's read
 * sends the token the client remembered from its last command (its read-your-writes helper), not one set by hand.
 */
describe('read-your-writes under concurrent load', () => {
  let e2e: E2eStack;
  /** The client of the rounds: its last command's token goes on its next read. */
  let tandem: TandemClient;
  /** The background clients' own: their tokens must not reach the rounds' reads. */
  let loadClient: TandemClient;

  beforeAll(async () => {
    e2e = await startE2eStack('e2e_ryw');
    tandem = e2e.clientAs('staff1');
    loadClient = e2e.clientAs('staff1');
  }, 150_000);

  afterAll(async () => {
    await e2e?.stop();
  }, 60_000);

  const registerCustomer = (client: TandemClient, name: string): Promise<CommandAnswer> =>
    client.command((header) =>
      client.api.POST('/api/customers', {
        params: { header },
        body: {
          name,
          email: `${name.toLowerCase()}+${randomUUID().slice(0, 8)}@example.com`,
          currency: 'EUR',
          creditLimit: 1_000_000_000,
        },
      }),
    );
  const createOrder = (client: TandemClient, customerId: string): Promise<CommandAnswer> =>
    client.command((header) => client.api.POST('/api/orders', { params: { header }, body: { customerId } }));
  const addLine = (
    client: TandemClient,
    id: string,
    line: { sku: string; quantity: number; unitPrice: number },
  ): Promise<CommandAnswer> =>
    client.command((header) =>
      client.api.POST('/api/orders/{id}/lines', { params: { header, path: { id } }, body: line }),
    );

  it(`${ROUNDS} times in a row, a line just added is in the order read with the token`, async () => {
    const customer = await registerCustomer(tandem, 'Ada');
    const order = await createOrder(tandem, customer.id);

    // Background load: other clients creating orders and adding lines for the whole loop. Their orders share the
    // partitions, the relay batches and the projection batches with ours.
    let running = true;
    let backgroundCommands = 0;
    const backgroundErrors: string[] = [];
    const background = Array.from({ length: BACKGROUND_CLIENTS }, async (_, client) => {
      const owner = await registerCustomer(loadClient, `Load${client}`);
      backgroundCommands++;
      while (running) {
        const theirs = await createOrder(loadClient, owner.id);
        backgroundCommands++;
        for (let line = 0; line < BACKGROUND_LINES_PER_ORDER && running; line++) {
          await addLine(loadClient, theirs.id, { sku: `LOAD-${line}`, quantity: 1, unitPrice: 10 });
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
        const added = await addLine(tandem, order.id, { sku, quantity: round, unitPrice: 100 });
        const problems: string[] = [];
        if (tandem.consistency.last !== added.consistencyToken)
          problems.push('the client kept another token');
        const started = Date.now();
        const read = await tandem.api.GET('/api/orders/{id}', {
          params: { path: { id: order.id }, header: { Prefer: 'wait=5' } },
        });
        waitsMs.push(Date.now() - started);
        const body = read.data;
        const headers = read.response.headers;
        if (read.response.status !== 200) problems.push(`status ${read.response.status}`);
        if (headers.get('x-consistency') !== 'reached') {
          problems.push(`X-Consistency: ${headers.get('x-consistency') ?? '(none)'}`);
        }
        if (headers.get('preference-applied') !== 'wait=5') problems.push('Prefer: wait=5 not applied');
        if (!(body !== undefined && body.version >= added.version)) {
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
    const final = await tandem.send(
      tandem.api.GET('/api/orders/{id}', { params: { path: { id: order.id } } }),
    );
    expect(final.lines.map((line) => line.sku)).toEqual(
      Array.from({ length: ROUNDS }, (_, i) => `RYW-${i + 1}`),
    );
  });
});
