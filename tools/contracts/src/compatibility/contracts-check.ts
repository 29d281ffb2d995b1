import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { incompatibilities, type JsonSchema } from './schema-compatibility';

/**
 * The released schemas: `libs/contracts/schemas/released/<CloudEvents type>/<major>.<revision>.json`, one file per
 * released revision of a major version, never edited once on main. A compatible change is released as the next
 * revision (1.0, 1.1, …); a breaking one needs a new major version, a new type (`….v2`).
 */
export const RELEASED_DIR = 'libs/contracts/schemas/released';

export interface ReleasedRevision {
  type: string;
  major: number;
  revision: number;
  /** `1.0`, `1.1`… */
  label: string;
  file: string;
  schema: JsonSchema;
}

const TYPE = /^tandem\.orders\.([A-Za-z]+)\.v(\d+)$/;
const FILE = /^(\d+)\.(\d+)\.json$/;

export function majorOf(type: string): { name: string; major: number } {
  const match = TYPE.exec(type);
  if (!match?.[1] || !match[2])
    throw new Error(`"${type}" is not a Tandem event type (tandem.orders.<Name>.v<major>)`);
  return { name: match[1], major: Number(match[2]) };
}

/** Every released revision, by type, oldest first. */
export function loadReleased(root: string): Map<string, ReleasedRevision[]> {
  const dir = path.join(root, RELEASED_DIR);
  const released = new Map<string, ReleasedRevision[]>();
  if (!existsSync(dir)) return released;
  for (const type of readdirSync(dir).sort()) {
    const { major } = majorOf(type);
    const revisions = readdirSync(path.join(dir, type)).map((file) => {
      const match = FILE.exec(file);
      if (!match || Number(match[1]) !== major) {
        throw new Error(`${RELEASED_DIR}/${type}/${file}: expected ${major}.<revision>.json`);
      }
      const schema: unknown = JSON.parse(readFileSync(path.join(dir, type, file), 'utf8'));
      if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
        throw new Error(`${RELEASED_DIR}/${type}/${file} is not a JSON Schema object`);
      }
      return {
        type,
        major,
        revision: Number(match[2]),
        label: `${major}.${match[2]}`,
        file: `${RELEASED_DIR}/${type}/${file}`,
        schema: schema as JsonSchema,
      };
    });
    released.set(
      type,
      revisions.sort((a, b) => a.revision - b.revision),
    );
  }
  return released;
}

export interface ContractProblem {
  type: string;
  kind: 'breaking' | 'unreleased' | 'changed-unreleased' | 'retired';
  message: string;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const HOW_TO_BREAK = (type: string): string => {
  const { name, major } = majorOf(type);
  return (
    `Released consumers of ${type} would break. Keep ${type} as it is and make the change a new major version: ` +
    `a definition of ${name} v${major + 1} (type tandem.orders.${name}.v${major + 1}) on a topic of its own, ` +
    `published beside v${major} during a deprecation window (docs/events.md, "Releasing a version").`
  );
};

/**
 * The gate: every current schema is FULL compatible with every released revision of its major version (transitive),
 * is itself released (main = released), and every released version still has a definition.
 */
export function checkContracts(
  current: Readonly<Record<string, JsonSchema>>,
  released: ReadonlyMap<string, readonly ReleasedRevision[]>,
): ContractProblem[] {
  const problems: ContractProblem[] = [];
  for (const [type, schema] of Object.entries(current)) {
    const revisions = released.get(type) ?? [];
    if (revisions.length === 0) {
      problems.push({
        type,
        kind: 'unreleased',
        message: `${type} is not released: run \`npm run contracts:release\` to freeze it as ${majorOf(type).major}.0 (a reviewed file addition).`,
      });
      continue;
    }
    let compatible = true;
    for (const revision of revisions) {
      const broken = incompatibilities(revision.schema, schema);
      if (broken.length === 0) continue;
      compatible = false;
      const list = broken.map((b) => `\`${b.path}\` ${b.detail}`).join('; ');
      problems.push({
        type,
        kind: 'breaking',
        message: `${type} is not FULL_TRANSITIVE compatible with released ${revision.label} (${revision.file}): ${list}. ${HOW_TO_BREAK(type)}`,
      });
    }
    const latest = revisions[revisions.length - 1];
    if (compatible && latest && !sameJson(latest.schema, schema)) {
      problems.push({
        type,
        kind: 'changed-unreleased',
        message: `${type} changed compatibly since released ${latest.label}: run \`npm run contracts:release\` to freeze it as ${latest.major}.${latest.revision + 1}.`,
      });
    }
  }
  for (const type of released.keys()) {
    if (!(type in current)) {
      problems.push({
        type,
        kind: 'retired',
        message: `${type} is released but no longer defined: its consumers still read it. Keep its definition in PUBLISHED_EVENTS (libs/contracts/src/events/published-events.ts) until its topic's sunset.`,
      });
    }
  }
  return problems;
}

/** The file `contracts:release` writes for a type: its next revision (n.0 when the major is new). */
export function nextRevisionFile(
  type: string,
  released: ReadonlyMap<string, readonly ReleasedRevision[]>,
): string {
  const revisions = released.get(type) ?? [];
  const latest = revisions[revisions.length - 1];
  const { major } = majorOf(type);
  return `${RELEASED_DIR}/${type}/${major}.${latest ? latest.revision + 1 : 0}.json`;
}
