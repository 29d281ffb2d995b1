import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eventJsonSchemas } from './json-schemas';

/**
 * The published event schemas are a contract with other teams: `libs/contracts/schemas/*.json` is what they code
 * against. A change to an event's zod schema that changes its JSON Schema fails here. Additive, optional fields may
 * be published by regenerating the files (`UPDATE_EVENT_SCHEMAS=1 npx jest libs/contracts`); anything that changes
 * meaning needs a new major version (a new event type `…v2`) instead.
 */
const DIR = path.resolve(__dirname, '../schemas');

describe('published event schemas', () => {
  const schemas = eventJsonSchemas();

  if (process.env['UPDATE_EVENT_SCHEMAS']) {
    for (const [type, schema] of Object.entries(schemas)) {
      writeFileSync(path.join(DIR, `${type}.json`), `${JSON.stringify(schema, null, 2)}\n`);
    }
  }

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

  it.each(Object.keys(schemas))('%s matches its published schema', (type) => {
    const published: unknown = JSON.parse(readFileSync(path.join(DIR, `${type}.json`), 'utf8'));
    expect(schemas[type]).toEqual(published);
  });
});
