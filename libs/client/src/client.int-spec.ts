import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTandemClient, isProblem, TandemProblem, withIdempotencyKey } from './index';

/**
 * The client's own behaviour over real HTTP, against a server on this machine that answers as the gateway would
 * (the e2e tests drive the real API through the client): tokens, idempotency keys across retries, the consistency
 * token carried to the next read, problems as typed errors.
 */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}
let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
let answers: Array<(response: ServerResponse) => void> = [];

const json =
  (status: number, body: unknown, type = 'application/json') =>
  (response: ServerResponse) => {
    response.writeHead(status, { 'content-type': type });
    response.end(JSON.stringify(body));
  };
const problem = (status: number, code: string) =>
  json(status, { type: `urn:tandem:problem:${code}`, title: code, status, code }, 'application/problem+json');
const accepted = (token: string) =>
  json(200, { id: '0b7c6f4e-2a4f-4b8e-9d64-3f1c2a5e7d10', version: 2, consistencyToken: token });

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    request.resume();
    const answer = answers.shift();
    if (answer) answer(response);
    else problem(500, 'internal')(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  seen.length = 0;
  answers = [];
});

const order = '0b7c6f4e-2a4f-4b8e-9d64-3f1c2a5e7d10';

describe('@tandem/client', () => {
  it('sends the current token on every request, asking the token source each time', async () => {
    let n = 0;
    const tandem = createTandemClient({ baseUrl, token: () => `token-${++n}` });
    answers = [json(200, {}), json(200, {})];
    await tandem.api.GET('/api/orders/{id}', { params: { path: { id: order } } });
    await tandem.api.GET('/api/orders/{id}', { params: { path: { id: order } } });
    expect(seen.map((s) => s.headers['authorization'])).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('retries a command after a 504 and a 502 with the same Idempotency-Key, and not after a rule refusal', async () => {
    const tandem = createTandemClient({ baseUrl });
    answers = [problem(504, 'upstream.timeout'), problem(502, 'upstream.unavailable'), accepted('t1')];
    const answer = await tandem.command(
      (header) => tandem.api.POST('/api/orders/{id}/place', { params: { header, path: { id: order } } }),
      { backoffMs: 1 },
    );
    expect(answer.version).toBe(2);
    const keys = seen.map((s) => s.headers['idempotency-key']);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);

    seen.length = 0;
    answers = [problem(409, 'order.no-lines'), accepted('never')];
    const refused = tandem.command(
      (header) => tandem.api.POST('/api/orders/{id}/place', { params: { header, path: { id: order } } }),
      { backoffMs: 1 },
    );
    await expect(refused).rejects.toBeInstanceOf(TandemProblem);
    await refused.catch((error: unknown) => expect(isProblem(error, 'order.no-lines')).toBe(true));
    expect(seen).toHaveLength(1);
  });

  it('gives up after its attempts, with the last problem', async () => {
    answers = [problem(503, 'auth.keys-unavailable'), problem(503, 'auth.keys-unavailable')];
    await expect(
      withIdempotencyKey(
        async () => {
          const tandem = createTandemClient({ baseUrl });
          return tandem.send(tandem.api.POST('/api/orders/{id}/ship', { params: { path: { id: order } } }));
        },
        { attempts: 2, backoffMs: 1 },
      ),
    ).rejects.toMatchObject({ code: 'auth.keys-unavailable', status: 503 });
    expect(seen).toHaveLength(2);
  });

  it("sends the last command's consistency token on the next reads, unless told otherwise", async () => {
    const tandem = createTandemClient({ baseUrl });
    answers = [accepted('token-a'), json(200, {}), json(200, {}), accepted('token-b'), json(200, {})];
    await tandem.command((header) =>
      tandem.api.POST('/api/orders/{id}/place', { params: { header, path: { id: order } } }),
    );
    await tandem.api.GET('/api/orders/{id}', { params: { path: { id: order } } });
    await tandem.api.GET('/api/orders/{id}', {
      params: { path: { id: order }, header: { 'X-Consistency-Token': 'mine' } },
    });
    await tandem.command((header) =>
      tandem.api.POST('/api/orders/{id}/ship', { params: { header, path: { id: order } } }),
    );
    await tandem.api.GET('/api/orders', {});
    expect(seen.map((s) => [s.method, s.headers['x-consistency-token']])).toEqual([
      ['POST', undefined],
      ['GET', 'token-a'],
      ['GET', 'mine'],
      // Commands carry no consistency token: only reads wait.
      ['POST', undefined],
      ['GET', 'token-b'],
    ]);
    expect(tandem.consistency.last).toBe('token-b');
  });

  it('reads the token of a command status it was asked for', async () => {
    const tandem = createTandemClient({ baseUrl });
    answers = [
      json(200, {
        idempotencyKey: 'k',
        status: 'committed',
        answer: { id: order, version: 1, consistencyToken: 'from-status' },
      }),
    ];
    expect(await tandem.status('k')).toMatchObject({ status: 'committed' });
    expect(seen[0]?.url).toBe('/api/commands/k');
    expect(tandem.consistency.last).toBe('from-status');
  });
});
