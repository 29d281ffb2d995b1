import path from 'node:path';
import { eventJsonSchemas } from '@tandem/contracts';
import { checkContracts, loadReleased, nextRevisionFile } from './contracts-check';
import { currentSchemaFiles, staleFiles } from './current-schemas';
import type { JsonSchema } from './schema-compatibility';

/**
 * `npm run contracts:check`, as part of `npm test`: the current event schemas (from the zod definitions) against
 * every released revision under libs/contracts/schemas/released. Nothing turns it off.
 */
const ROOT = path.resolve(__dirname, '../../../..');
const released = loadReleased(ROOT);
const current = eventJsonSchemas();

const without = (schema: JsonSchema | undefined, property: string): JsonSchema => {
  const copy = JSON.parse(JSON.stringify(schema)) as JsonSchema & {
    properties: Record<string, unknown>;
    required: string[];
  };
  delete copy.properties[property];
  copy.required = copy.required.filter((name) => name !== property);
  return copy;
};

describe('contracts:check', () => {
  it('passes: every published event version is released and FULL_TRANSITIVE compatible with its releases', () => {
    expect(checkContracts(current, released)).toEqual([]);
    expect(staleFiles(ROOT, currentSchemaFiles())).toEqual([]);
  });

  it('has released every published event version, each from its major’s first revision', () => {
    expect([...released.keys()].sort()).toEqual(Object.keys(current).sort());
    for (const revisions of released.values())
      expect(revisions[0]?.label).toBe(`${revisions[0]?.major ?? '?'}.0`);
  });

  it('fails a change that removes a field from OrderPlaced.v1, naming the event, the version, the property and the way out', () => {
    const type = 'tandem.orders.OrderPlaced.v1';
    const problems = checkContracts({ ...current, [type]: without(current[type], 'total') }, released);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.kind).toBe('breaking');
    expect(problems[0]?.message).toContain(
      'tandem.orders.OrderPlaced.v1 is not FULL_TRANSITIVE compatible with released 1.0',
    );
    expect(problems[0]?.message).toContain('`total` was removed');
    expect(problems[0]?.message).toContain('a new major version');
    expect(problems[0]?.message).toContain('tandem.orders.OrderPlaced.v2');
  });

  it('checks against every released revision, not only the latest (transitive)', () => {
    const type = 'tandem.orders.OrderShipped.v1';
    const base = current[type] as JsonSchema & { properties: Record<string, unknown> };
    // 1.1 added an optional `carrier`; a 1.2 that drops `total` still breaks 1.0 and 1.1.
    const withCarrier = { ...base, properties: { ...base.properties, carrier: { type: 'string' } } };
    const history = new Map(released);
    const [first] = released.get(type) ?? [];
    if (!first) throw new Error('OrderShipped.v1 1.0 is not released');
    history.set(type, [first, { ...first, revision: 1, label: '1.1', schema: withCarrier }]);
    const problems = checkContracts({ ...current, [type]: without(withCarrier, 'total') }, history);
    expect(problems.map((p) => p.message.match(/released (1\.\d)/)?.[1])).toEqual(['1.0', '1.1']);
    expect(checkContracts({ ...current, [type]: withCarrier }, history)).toEqual([]);
  });

  it('asks to release a compatible change, and a new major version, before they reach main', () => {
    const type = 'tandem.orders.OrderShipped.v1';
    const base = current[type] as JsonSchema & { properties: Record<string, unknown> };
    const added = { ...base, properties: { ...base.properties, carrier: { type: 'string' } } };
    const problems = checkContracts(
      { ...current, [type]: added, 'tandem.orders.OrderShipped.v2': base },
      released,
    );
    expect(problems.map((p) => [p.type, p.kind])).toEqual([
      [type, 'changed-unreleased'],
      ['tandem.orders.OrderShipped.v2', 'unreleased'],
    ]);
    expect(nextRevisionFile(type, released)).toBe(
      'libs/contracts/schemas/released/tandem.orders.OrderShipped.v1/1.1.json',
    );
    expect(nextRevisionFile('tandem.orders.OrderShipped.v2', released)).toBe(
      'libs/contracts/schemas/released/tandem.orders.OrderShipped.v2/2.0.json',
    );
  });

  it('refuses to drop a released version that consumers still read', () => {
    const { ['tandem.orders.OrderShipped.v1']: _dropped, ...rest } = current;
    expect(checkContracts(rest, released).map((p) => p.kind)).toEqual(['retired']);
  });
});
