import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CommandAccepted, CommandStatus } from '@tandem/contracts';
import { committedDocument, ROOT } from './published-document';
import { SCHEMA_EXAMPLES, SCHEMA_EXAMPLE_SETS } from './examples';

/**
 * The published document passes a standard validator: Redocly's `recommended` rules (OpenAPI 3 structure, every
 * operation with an operationId, a 2xx and security, examples valid against their schemas, no unused components,
 * …), with zero errors and zero warnings. No rule is turned off.
 */
describe('docs/openapi.json', () => {
  it('passes `redocly lint` (@redocly/cli, recommended, redocly.yaml) with no error and no warning', () => {
    const lint = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'),
        'lint',
        'docs/openapi.json',
        '--format',
        'json',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', REDOCLY_TELEMETRY: 'off' } },
    );
    const report = JSON.parse(lint.stdout) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; severity: string; message: string }>;
    };
    expect(report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(lint.status).toBe(0);
  }, 60_000);

  it('shows examples that its own schemas accept', () => {
    expect(() => CommandAccepted.parse(SCHEMA_EXAMPLES.CommandAccepted)).not.toThrow();
    for (const { value } of Object.values(SCHEMA_EXAMPLE_SETS['CommandStatus'] ?? {})) {
      expect(() => CommandStatus.parse(value)).not.toThrow();
    }
    expect(Object.keys(SCHEMA_EXAMPLE_SETS['CommandStatus'] ?? {}).sort()).toEqual(
      ['committed', 'projected', 'published', 'rejected'].sort(),
    );
  });

  it('lists, on every operation, the problem codes it answers, each with a response and an example', () => {
    const document = committedDocument();
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item) as Array<[string, Record<string, unknown>]>) {
        const codes = operation['x-problem-codes'] as string[] | undefined;
        expect({ path, method, codes: codes?.length ?? 0 }).toMatchObject({ codes: expect.any(Number) });
        expect(codes).toEqual(expect.arrayContaining(['request.timeout', 'request.headers-too-large']));
        const responses = operation['responses'] as Record<
          string,
          { content?: Record<string, { examples?: object }> }
        >;
        expect(responses['408']).toBeDefined();
        expect(responses['431']).toBeDefined();
        const shown = Object.values(responses).flatMap((r) =>
          Object.keys(r.content?.['application/problem+json']?.examples ?? {}),
        );
        expect(shown.sort()).toEqual([...(codes ?? [])].sort());
      }
    }
  });
});
