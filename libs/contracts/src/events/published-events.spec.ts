import { z } from 'zod';
import examples from '../asyncapi/event-examples.json';
import {
  definitionOfType,
  invalidPayload,
  parseEvent,
  PUBLISHED_EVENTS,
  type ParsedEvent,
} from './published-events';

/** What parseEvent answered when it ran each schema with zod's own parser. */
function byRuntimeParser(type: string, payload: unknown): unknown {
  const definition = definitionOfType(type);
  if (!definition) throw new Error(`no ${type}`);
  const result = definition.schema.safeParse(payload);
  if (result.success) return { ok: true, data: result.data, keys: Object.keys(result.data as object) };
  return invalidPayload(definition, result.error.issues);
}

function answer(parsed: ParsedEvent): unknown {
  if (!parsed.ok) return parsed;
  return { ok: true, data: parsed.event.data, keys: Object.keys(parsed.event.data) };
}

const ODD_VALUES: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'a'.repeat(600),
  '😀'.repeat(150),
  '0B7C6F4E-2A4F-4B8E-9D64-3F1C2A5E7D10',
  '00000000-0000-0000-0000-000000000000',
  'eur',
  'EURO',
  0,
  -1,
  1.5,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  {},
  [],
  { amount: 1, currency: 'EUR' },
  { amount: 1, currency: 'EUR', extra: 1 },
];

/** Each example payload, and variants of it that some schema refuses: every key dropped or given odd values. */
function variants(payload: Record<string, unknown>): unknown[] {
  const out: unknown[] = [payload, null, [], 'payload', 1, { ...payload, extra: 1 }];
  out.push(Object.assign(JSON.parse('{"__proto__": {"x": 1}}') as object, payload));
  for (const key of Object.keys(payload)) {
    const { [key]: _dropped, ...rest } = payload;
    out.push(rest);
    for (const value of ODD_VALUES) out.push({ ...payload, [key]: value });
    const nested = payload[key];
    if (typeof nested === 'object' && nested !== null)
      for (const inner of Object.keys(nested))
        for (const value of ODD_VALUES) out.push({ ...payload, [key]: { ...nested, [inner]: value } });
  }
  return out;
}

describe('parseEvent', () => {
  const cases = Object.entries(examples as Record<string, { payload: Record<string, unknown> }>);

  it('has an example of every published event', () => {
    expect(cases.map(([type]) => type).sort()).toEqual(PUBLISHED_EVENTS.map((d) => d.type).sort());
  });

  it.each(cases)('answers for %s exactly as zod’s own parser does', (type, { payload }) => {
    for (const variant of variants(payload))
      expect([variant, answer(parseEvent(type, variant))]).toEqual([variant, byRuntimeParser(type, variant)]);
  });

  it('takes the compiled fast path for every published schema', () => {
    for (const definition of PUBLISHED_EVENTS)
      expect(() => z.compile(definition.schema, { strict: true })).not.toThrow();
  });
});
