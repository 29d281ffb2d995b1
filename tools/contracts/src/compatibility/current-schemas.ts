import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { eventJsonSchemas } from '@tandem/contracts';

/** The current schema of every published event version, one file per CloudEvents type, for other teams to read. */
export const CURRENT_SCHEMAS_DIR = 'libs/contracts/schemas';

/** File → schema of `libs/contracts/schemas/<type>.json`, as `contracts:release` writes them. */
export function currentSchemaFiles(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(eventJsonSchemas()).map(([type, schema]) => [
      `${CURRENT_SCHEMAS_DIR}/${type}.json`,
      schema,
    ]),
  );
}

/** The files among `files` that are missing or say something else than their schema (formatting aside). */
export function staleFiles(root: string, files: Record<string, unknown>): string[] {
  return Object.entries(files)
    .filter(([file, schema]) => {
      try {
        return !isDeepStrictEqual(JSON.parse(readFileSync(path.join(root, file), 'utf8')), schema);
      } catch {
        return true;
      }
    })
    .map(([file]) => file);
}
