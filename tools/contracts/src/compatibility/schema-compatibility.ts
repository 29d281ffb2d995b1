/**
 * FULL compatibility between two JSON Schemas of one event version: a consumer that reads with the released schema
 * can read every event written with the current one, and a consumer on the current schema can read every event
 * written with the released one (FULL_TRANSITIVE = this, against every released revision of the major version).
 *
 * The reader is the tolerant reader docs/events.md asks every consumer to be (and the consumer package's decoder
 * is): it validates the properties its schema declares and ignores the others. So adding an *optional* property is
 * compatible both ways: an old reader ignores it, a new reader finds it absent in old events, as it may be. Every
 * other change to what a declared property accepts breaks one direction or the other: removing or renaming it,
 * changing its type, its enum, its range, its length, pattern or format (narrowing breaks old events for new
 * readers, widening breaks new events for old readers), making it required or optional, adding a required
 * property, and changing whether an object is open (`additionalProperties`). Annotations (title, description,
 * examples, default, `x-*`) and the order of `required`, `enum` and `type` lists change nothing.
 */
export type JsonSchema = Record<string, unknown>;

export interface Incompatibility {
  /** Where, as a property path: `total`, `lines[].sku`, or `(payload)` for the root. */
  path: string;
  kind:
    | 'removed'
    | 'type-changed'
    | 'enum-changed'
    | 'range-changed'
    | 'became-required'
    | 'became-optional'
    | 'required-added'
    | 'closed'
    | 'opened'
    | 'changed';
  detail: string;
}

const ANNOTATIONS = new Set([
  'title',
  'description',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
  '$id',
  '$schema',
  '$defs',
  'definitions',
]);
/** Handled structurally below; every other keyword is an assertion that must stay equal. */
const STRUCTURAL = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'anyOf',
  'oneOf',
  'enum',
]);
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON with sorted keys, for comparing values whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Inlines local `$ref`s (`#/$defs/x`, `#/definitions/x`) so that a schema compares by what it says. */
function resolve(node: unknown, root: JsonSchema, depth = 0): unknown {
  if (depth > 64) throw new Error('schema references nest deeper than 64 levels (a recursive schema?)');
  if (Array.isArray(node)) return node.map((item) => resolve(item, root, depth + 1));
  if (!isObject(node)) return node;
  const ref = node['$ref'];
  if (typeof ref === 'string') {
    if (!ref.startsWith('#/')) throw new Error(`cannot compare a schema with a remote $ref (${ref})`);
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) target = isObject(target) ? target[part] : undefined;
    if (target === undefined) throw new Error(`unresolved $ref ${ref}`);
    const { $ref: _ref, ...rest } = node;
    return resolve({ ...(target as JsonSchema), ...rest }, root, depth + 1);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, root, depth + 1)]));
}

/** The schema without annotations, with its unordered lists sorted. */
function normalized(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalized);
  if (!isObject(node)) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    if (key === 'properties' && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, normalized(s)]));
    } else if ((key === 'required' || key === 'enum' || key === 'type') && Array.isArray(value)) {
      out[key] = [...value].sort((a, b) => canonical(a).localeCompare(canonical(b)));
    } else out[key] = normalized(value);
  }
  return out;
}

const typesOf = (schema: JsonSchema): string[] => {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.map(String).sort() : [];
};

const show = (value: unknown): string => (value === undefined ? 'none' : JSON.stringify(value));
const at = (path: string, child: string): string => (path === '' ? child : `${path}.${child}`);
const named = (path: string): string => (path === '' ? '(payload)' : path);

/** What breaks between a released schema and the current one (empty: FULL compatible). */
export function incompatibilities(released: JsonSchema, current: JsonSchema): Incompatibility[] {
  const before = normalized(resolve(released, released));
  const after = normalized(resolve(current, current));
  const found: Incompatibility[] = [];
  compare(isObject(before) ? before : {}, isObject(after) ? after : {}, '', found);
  return found;
}

function compare(before: JsonSchema, after: JsonSchema, path: string, found: Incompatibility[]): void {
  const where = named(path);
  const typesBefore = typesOf(before);
  const typesAfter = typesOf(after);
  if (canonical(typesBefore) !== canonical(typesAfter)) {
    found.push({
      path: where,
      kind: 'type-changed',
      detail: `changed type from ${typesBefore.join('|') || 'any'} to ${typesAfter.join('|') || 'any'}`,
    });
    return;
  }
  compareEnum(before, after, where, found);
  compareAssertions(before, after, where, found);
  compareObject(before, after, path, found);
  const itemsBefore = before['items'];
  const itemsAfter = after['items'];
  if (isObject(itemsBefore) && isObject(itemsAfter)) compare(itemsBefore, itemsAfter, `${path}[]`, found);
  else if (canonical(itemsBefore) !== canonical(itemsAfter)) {
    found.push({ path: where, kind: 'changed', detail: 'changed the schema of its items' });
  }
  for (const keyword of ['anyOf', 'oneOf']) compareUnion(before, after, keyword, path, found);
}

function compareEnum(before: JsonSchema, after: JsonSchema, where: string, found: Incompatibility[]): void {
  const a = before['enum'];
  const b = after['enum'];
  if (canonical(a) === canonical(b)) return;
  const listA = Array.isArray(a) ? a.map(canonical) : undefined;
  const listB = Array.isArray(b) ? b.map(canonical) : undefined;
  const dropped = listA?.filter((v) => !listB || !listB.includes(v)) ?? [];
  const added = listB?.filter((v) => !listA || !listA.includes(v)) ?? [];
  const parts = [
    ...(listB === undefined ? ['no longer restricted to an enum (widened)'] : []),
    ...(listA === undefined ? [`now restricted to ${listB?.join(', ')} (narrowed)`] : []),
    ...(listA && listB && dropped.length > 0 ? [`no longer allows ${dropped.join(', ')} (narrowed)`] : []),
    ...(listA && listB && added.length > 0 ? [`now allows ${added.join(', ')} (widened)`] : []),
  ];
  found.push({ path: where, kind: 'enum-changed', detail: `enum ${parts.join('; ')}` });
}

function compareAssertions(
  before: JsonSchema,
  after: JsonSchema,
  where: string,
  found: Incompatibility[],
): void {
  const keywords = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const keyword of [...keywords].sort()) {
    if (STRUCTURAL.has(keyword)) continue;
    const a = before[keyword];
    const b = after[keyword];
    if (canonical(a) === canonical(b)) continue;
    if (LOWER_BOUNDS.includes(keyword) || UPPER_BOUNDS.includes(keyword)) {
      const lower = LOWER_BOUNDS.includes(keyword);
      const tighter =
        typeof a === 'number' && typeof b === 'number' ? (lower ? b > a : b < a) : a === undefined;
      found.push({
        path: where,
        kind: 'range-changed',
        detail: `${keyword} changed from ${show(a)} to ${show(b)} (${tighter ? 'narrowed' : 'widened'})`,
      });
    } else {
      found.push({
        path: where,
        kind: 'changed',
        detail: `${keyword} changed from ${show(a)} to ${show(b)}`,
      });
    }
  }
}

function compareObject(before: JsonSchema, after: JsonSchema, path: string, found: Incompatibility[]): void {
  const propsBefore = isObject(before['properties']) ? before['properties'] : {};
  const propsAfter = isObject(after['properties']) ? after['properties'] : {};
  const required = (schema: JsonSchema): Set<string> =>
    new Set(Array.isArray(schema['required']) ? schema['required'].map(String) : []);
  const requiredBefore = required(before);
  const requiredAfter = required(after);
  const added = Object.keys(propsAfter).filter((name) => !(name in propsBefore));

  for (const [name, schema] of Object.entries(propsBefore)) {
    const child = at(path, name);
    const next = propsAfter[name];
    if (next === undefined) {
      const renamed = added.find((other) => canonical(propsAfter[other]) === canonical(schema));
      found.push({
        path: child,
        kind: 'removed',
        detail: renamed ? `was renamed to ${at(path, renamed)}` : 'was removed',
      });
      continue;
    }
    if (!requiredBefore.has(name) && requiredAfter.has(name)) {
      found.push({
        path: child,
        kind: 'became-required',
        detail: 'became required (released events may lack it)',
      });
    }
    if (requiredBefore.has(name) && !requiredAfter.has(name)) {
      found.push({
        path: child,
        kind: 'became-optional',
        detail: 'became optional (released readers require it)',
      });
    }
    if (isObject(schema) && isObject(next)) compare(schema, next, child, found);
  }
  for (const name of added.filter((n) => requiredAfter.has(n))) {
    found.push({
      path: at(path, name),
      kind: 'required-added',
      detail: 'was added as a required property (released events lack it; add it as optional)',
    });
  }

  const openBefore = before['additionalProperties'];
  const openAfter = after['additionalProperties'];
  if (canonical(openBefore) === canonical(openAfter)) return;
  const closed = (value: unknown): boolean => value === false;
  if (!closed(openBefore) && closed(openAfter)) {
    found.push({
      path: named(path),
      kind: 'closed',
      detail: 'was closed (additionalProperties: false): released events may carry properties it now refuses',
    });
  } else if (closed(openBefore) && !closed(openAfter)) {
    found.push({
      path: named(path),
      kind: 'opened',
      detail: 'was opened (additionalProperties no longer false): new events may carry undeclared properties',
    });
  } else if (isObject(openBefore) && isObject(openAfter)) {
    compare(openBefore, openAfter, `${path}{*}`, found);
  } else {
    found.push({
      path: named(path),
      kind: 'changed',
      detail: `additionalProperties changed from ${show(openBefore)} to ${show(openAfter)}`,
    });
  }
}

/** Union members are matched by their type (a nullable object: the object, then null); unmatched ones break. */
function compareUnion(
  before: JsonSchema,
  after: JsonSchema,
  keyword: string,
  path: string,
  found: Incompatibility[],
): void {
  const a = Array.isArray(before[keyword]) ? (before[keyword] as unknown[]).filter(isObject) : [];
  const b = Array.isArray(after[keyword]) ? (after[keyword] as unknown[]).filter(isObject) : [];
  if (a.length === 0 && b.length === 0) return;
  const signature = (schema: JsonSchema): string => canonical(typesOf(schema));
  const unique = (list: JsonSchema[]): boolean => new Set(list.map(signature)).size === list.length;
  if (a.length === b.length && unique(a) && unique(b)) {
    const bySignature = new Map(b.map((schema) => [signature(schema), schema]));
    if (a.every((schema) => bySignature.has(signature(schema)))) {
      for (const schema of a) {
        const match = bySignature.get(signature(schema));
        if (match) compare(schema, match, path, found);
      }
      return;
    }
  }
  if (canonical([...a.map(canonical)].sort()) !== canonical([...b.map(canonical)].sort())) {
    found.push({ path: named(path), kind: 'changed', detail: `changed its ${keyword} alternatives` });
  }
}
