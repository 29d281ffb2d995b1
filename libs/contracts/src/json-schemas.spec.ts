import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { eventJsonSchemas } from './json-schemas';

/**
 * `libs/contracts/schemas/<type>.json` is the current schema of each published event version, for other teams to
 * read; it must say what the zod definitions say. Whether a change may be published at all is the compatibility
 * gate's question (`npm run contracts:check`, tools/contracts): it compares the definitions with the frozen
 * releases under `schemas/released/`, and `npm run contracts:release` writes both these files and a new release.
 */
const DIR = path.resolve(__dirname, '../schemas');

describe('published event schemas', () => {
  const schemas = eventJsonSchemas();

  it('publishes one file per event type, and no file for an event that no longer exists', () => {
    const files = readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(files).toEqual(
      Object.keys(schemas)
        .map((type) => `${type}.json`)
        .sort(),
    );
  });

  it.each(Object.keys(schemas))('%s matches its published schema (else: npm run contracts:check)', (type) => {
    const published: unknown = JSON.parse(readFileSync(path.join(DIR, `${type}.json`), 'utf8'));
    expect(schemas[type]).toEqual(published);
  });
});
