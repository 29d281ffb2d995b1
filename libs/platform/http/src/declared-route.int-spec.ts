import { Controller, Injectable, Module, type INestApplication } from '@nestjs/common';
import pino from 'pino';
import { createHttpApp } from './create-http-app';
import { addDeclaredRoute } from './declared-route';

@Injectable()
class Greeter {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

@Controller()
class DeclaredController {
  constructor(readonly greeter: Greeter) {}
}

addDeclaredRoute(DeclaredController, {
  key: 'greet',
  method: 'POST',
  path: '/api/greetings/:name',
  passthrough: true,
  async handle(request, response) {
    response.status(201);
    return { greeting: this.greeter.greet(String(request.params['name'])), body: request.body as unknown };
  },
});
addDeclaredRoute(DeclaredController, {
  key: 'forget',
  method: 'DELETE',
  path: '/api/greetings/:name',
  passthrough: false,
  async handle(request, response) {
    response.status(204).setHeader('x-forgotten', String(request.params['name']));
    response.end();
  },
});

@Module({ controllers: [DeclaredController], providers: [Greeter] })
class DeclaredModule {}

let app: INestApplication;
let base: string;

beforeAll(async () => {
  app = await createHttpApp(DeclaredModule, pino({ level: 'silent' }));
  await app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
});

afterAll(() => app?.close());

describe('addDeclaredRoute', () => {
  it('routes the method and path to a method with the controller as `this`; Nest sends its result', async () => {
    const answer = await fetch(`${base}/api/greetings/ann`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ warmly: true }),
    });
    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({ greeting: 'hello ann', body: { warmly: true } });
  });

  it('leaves the answer to the method without passthrough', async () => {
    const answer = await fetch(`${base}/api/greetings/bob`, { method: 'DELETE' });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('x-forgotten')).toBe('bob');
  });

  it('answers another method on the same path 404, as for any route', async () => {
    expect((await fetch(`${base}/api/greetings/ann`, { method: 'PUT' })).status).toBe(404);
  });

  it('refuses a second route under the same method name', () => {
    expect(() =>
      addDeclaredRoute(DeclaredController, {
        key: 'greet',
        method: 'PUT',
        path: '/api/other',
        passthrough: true,
        handle: async () => undefined,
      }),
    ).toThrow('DeclaredController already has a method greet');
  });
});
