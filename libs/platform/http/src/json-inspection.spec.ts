import { inspectJson, isStorableString, MAX_JSON_DEPTH } from './json-inspection';

function nested(levels: number): unknown {
  return JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);
}

describe('inspectJson', () => {
  it('passes ordinary input, with well-formed surrogate pairs and other control characters', () => {
    expect(inspectJson({ name: 'Ada 🚀 Lovelace\t', lines: [{ sku: 'A-1', quantity: 1 }] })).toEqual({
      ok: true,
    });
  });

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more, without recursing (100,000 levels)`, () => {
    expect(inspectJson(nested(MAX_JSON_DEPTH))).toEqual({ ok: true });
    expect(inspectJson(nested(MAX_JSON_DEPTH + 1))).toEqual({ ok: false, tooDeep: true });
    expect(inspectJson(nested(100_000))).toEqual({ ok: false, tooDeep: true });
  });

  it('names each string that PostgreSQL cannot store: NUL, a lone high or low surrogate, in values and names', () => {
    const found = inspectJson({
      name: 'A\u0000B',
      lines: [{ sku: 'ok' }, { sku: '\ud800' }],
      reason: 'x\udc00',
      'bad\u0000name': 1,
    });
    expect(found.ok === false && 'errors' in found ? found.errors.map((e) => e.field).sort() : []).toEqual(
      ['bad\u0000name', 'lines.1.sku', 'name', 'reason'].sort(),
    );
  });

  it('says a number that JSON parsed to Infinity is out of range, naming the field', () => {
    expect(inspectJson(JSON.parse('{"creditLimit":1e309,"n":[-1e400]}'))).toEqual({
      ok: false,
      errors: [
        { field: 'creditLimit', message: expect.stringContaining('out of range') },
        { field: 'n.0', message: expect.stringContaining('out of range') },
      ],
    });
  });

  it('tells storable strings from the others', () => {
    expect(isStorableString('plain 🚀')).toBe(true);
    expect(isStorableString('\u0000')).toBe(false);
    expect(isStorableString('\ud83d')).toBe(false);
  });
});
