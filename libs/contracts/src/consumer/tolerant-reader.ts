import type { z } from 'zod';

/**
 * The schema a consumer reads with: the same checks as the producer's schema, except that objects ignore (strip)
 * properties they do not declare instead of refusing them, at every depth. A consumer built on one revision of a
 * major version so keeps reading events of a later revision, which may add optional properties (docs/events.md).
 */
export function tolerantReader<S extends z.ZodType>(schema: S): S {
  return tolerant(schema) as S;
}

interface Def {
  type: string;
  [key: string]: unknown;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const clone = (schema: z.ZodType, def: Def): z.ZodType =>
  (schema as unknown as { clone(def: Def): z.ZodType }).clone(def);

function tolerant(schema: z.ZodType): z.ZodType {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const shape = def['shape'] as Record<string, z.ZodType>;
      const mapped = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, tolerant(value)]));
      return clone(schema, { ...def, shape: mapped, catchall: undefined });
    }
    case 'array':
      return clone(schema, { ...def, element: tolerant(def['element'] as z.ZodType) });
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return clone(schema, { ...def, innerType: tolerant(def['innerType'] as z.ZodType) });
    case 'union':
      return clone(schema, { ...def, options: (def['options'] as z.ZodType[]).map(tolerant) });
    case 'record':
      return clone(schema, { ...def, valueType: tolerant(def['valueType'] as z.ZodType) });
    case 'pipe':
      return clone(schema, { ...def, in: tolerant(def['in'] as z.ZodType) });
    default:
      return schema;
  }
}
