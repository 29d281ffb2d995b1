import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { incompatibilities, type Incompatibility, type JsonSchema } from './schema-compatibility';

/**
 * One fixture per kind of change (fixtures/*.json: a released schema, the current one, and what the gate must say):
 * `allowed-*` pass, `breaking-*` are refused with the kind and the property path.
 */
interface Fixture {
  description: string;
  released: JsonSchema;
  current: JsonSchema;
  expect: Array<Pick<Incompatibility, 'kind' | 'path'>>;
}

const DIR = path.join(__dirname, 'fixtures');
const fixtures = readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .map(
    (file) =>
      [
        file.replace(/\.json$/, ''),
        JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Fixture,
      ] as const,
  );

describe('FULL compatibility of two JSON Schemas of one event version', () => {
  it('has fixtures of both kinds', () => {
    expect(fixtures.filter(([name]) => name.startsWith('allowed-')).length).toBeGreaterThanOrEqual(4);
    expect(fixtures.filter(([name]) => name.startsWith('breaking-')).length).toBeGreaterThanOrEqual(12);
  });

  it.each(fixtures.filter(([name]) => name.startsWith('allowed-')))('allows %s', (_name, fixture) => {
    expect(incompatibilities(fixture.released, fixture.current)).toEqual([]);
  });

  it.each(fixtures.filter(([name]) => name.startsWith('breaking-')))('refuses %s', (_name, fixture) => {
    const found = incompatibilities(fixture.released, fixture.current);
    expect(found.map(({ kind, path: where }) => ({ kind, path: where }))).toEqual(fixture.expect);
    for (const problem of found) expect(problem.detail.length).toBeGreaterThan(5);
  });

  it('refuses a change of what a property accepts in both directions (FULL: backward and forward)', () => {
    // Removing a property is the one asymmetric case: undone, it is adding an optional property, which is allowed.
    const valueChanges = fixtures.filter(
      ([name, fixture]) =>
        name.startsWith('breaking-') &&
        fixture.expect.every((e) => e.kind !== 'removed' && e.kind !== 'required-added'),
    );
    expect(valueChanges.length).toBeGreaterThan(10);
    for (const [, fixture] of valueChanges) {
      expect(incompatibilities(fixture.current, fixture.released)).not.toEqual([]);
    }
  });
});
