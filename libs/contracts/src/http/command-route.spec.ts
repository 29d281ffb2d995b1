import { EVENT_CATALOG } from '../events/event-catalog';
import { CUSTOMER_TOPIC, ORDER_TOPIC, type EventTopic } from '../topics';
import type { CommandTable } from './command-route';
import { CUSTOMER_COMMANDS } from './customer.commands';
import { ORDER_COMMANDS } from './order.commands';

const TABLES: Array<[aggregate: string, table: CommandTable, topic: EventTopic]> = [
  ['order', ORDER_COMMANDS, ORDER_TOPIC],
  ['customer', CUSTOMER_COMMANDS, CUSTOMER_TOPIC],
];
const ROUTES = TABLES.flatMap(([, table]) => Object.values(table));

describe('the command tables', () => {
  it.each(TABLES)('%s: a route creates its aggregate, or names it with a UUID :id', (_aggregate, table) => {
    for (const route of Object.values(table)) {
      if (route.creates) expect(route.params).toEqual({});
      else expect(route.params).toMatchObject({ id: { kind: 'uuid' } });
    }
  });

  it('lists each path parameter in path order, as the document shows them', () => {
    for (const route of ROUTES) {
      const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]);
      expect(Object.keys(route.params)).toEqual(names);
    }
  });

  it.each(TABLES)(
    "%s: every command records at least one event, all on the aggregate's topic",
    (_a, table, topic) => {
      for (const route of Object.values(table)) {
        expect(route.emits.length).toBeGreaterThan(0);
        for (const event of route.emits) expect(EVENT_CATALOG[event].topic).toBe(topic);
      }
    },
  );

  it('gives every route its own operationId, and every method and path one command', () => {
    expect(new Set(ROUTES.map((r) => r.operationId)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.flatMap((r) => (r.body ? [r.body.name] : []))).size).toBe(
      ROUTES.filter((r) => r.body).length,
    );
  });
});
