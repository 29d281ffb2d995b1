import { SCHEMA_EXAMPLE_SETS } from '../openapi/examples';
import { startGateway, type GatewayUnderTest } from '../test/gateway-under-test';
import { closedPortUrl, StandInService } from '../test/stand-in-service';

/**
 * The gateway's `GET /api/commands/{key}`: the command service's answer, completed with the query service's once
 * the command is published, and each side's refusal passed on as it was. The services are stand-ins; the gateway
 * is the real one.
 */
let command: StandInService;
let query: StandInService;
let gateway: GatewayUnderTest;

const example = (stage: string) =>
  SCHEMA_EXAMPLE_SETS['CommandStatus']?.[stage]?.value as Record<string, unknown>;
const published: Record<string, unknown> = { ...example('published'), projections: undefined };

beforeAll(async () => {
  command = await StandInService.start('command-service');
  query = await StandInService.start('query-service');
  gateway = await startGateway({
    COMMAND_SERVICE_URL: command.url,
    QUERY_SERVICE_URL: query.url,
    PROJECTION_SERVICE_URL: await closedPortUrl(),
  });
});
afterAll(async () => {
  await gateway?.close();
  await command?.stop();
  await query?.stop();
});
beforeEach(() => {
  command.reset();
  query.reset();
});

const status = async (key = 'key-1') => {
  const response = await gateway.fetch(`/api/commands/${key}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('GET /api/commands/{idempotencyKey} at the gateway', () => {
  it('asks the query service with the answer’s token once published, and says projected when all applied', async () => {
    command.answer(StandInService.ok(published));
    const projections = [
      { projection: 'order-summary', appliedVersion: 3, applied: true },
      { projection: 'daily-sales', appliedVersion: 3, applied: true },
    ];
    query.answer(StandInService.ok({ projections }));
    const answer = await status();
    expect(answer).toMatchObject({ status: 200, body: { status: 'projected', projections } });
    expect(command.received[0]).toMatchObject({ method: 'GET', url: '/api/commands/key-1' });
    expect(command.received[0]?.headers['authorization']).toMatch(/^Bearer /);
    expect(query.received[0]).toMatchObject({ method: 'GET', url: '/read-progress' });
    expect(query.received[0]?.headers['x-consistency-token']).toBe(
      (published['answer'] as { consistencyToken: string }).consistencyToken,
    );
    expect(query.received[0]?.headers['authorization']).toBe(command.received[0]?.headers['authorization']);
  });

  it('stays published while a projection is behind, or when the query service cannot tell', async () => {
    command.answer(StandInService.ok(published));
    query.answer(
      StandInService.ok({
        projections: [{ projection: 'order-summary', appliedVersion: 2, applied: false }],
      }),
    );
    expect((await status()).body).toMatchObject({ status: 'published', projections: [{ applied: false }] });
    query.answer({ status: 503, headers: { 'content-type': 'application/problem+json' }, body: '{}' });
    const degraded = await status();
    expect(degraded).toMatchObject({ status: 200, body: { status: 'published' } });
    expect(degraded.body['projections']).toBeUndefined();
  });

  it('does not ask the read side before the command is published, nor for a refusal', async () => {
    for (const stage of ['committed', 'rejected']) {
      command.answer(StandInService.ok(example(stage)));
      expect((await status()).body).toMatchObject({ status: stage });
    }
    expect(query.received).toHaveLength(0);
  });

  it("passes the command service's 404 on as it was, with the public path", async () => {
    command.answer({
      status: 404,
      headers: { 'content-type': 'application/problem+json' },
      body: JSON.stringify({
        type: 'urn:tandem:problem:command.not-found',
        title: 'No such command',
        status: 404,
        code: 'command.not-found',
      }),
    });
    expect(await status('unknown')).toMatchObject({
      status: 404,
      body: { code: 'command.not-found', instance: '/api/commands/unknown' },
    });
  });
});
