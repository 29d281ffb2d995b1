import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Proves that the architecture's dependency rule is enforced by the ESLint configuration that `nx lint` runs:
 * each case lints a probe file placed (virtually) inside one project and importing another project. ESLint runs
 * in a child process because it loads its flat config with a dynamic import, which jest's module VM refuses.
 */
const ROOT = path.resolve(__dirname, '../..');

const refused: Array<[string, string, string]> = [
  [
    'a read-side library importing the write domain',
    'libs/read/projections/src/probe.ts',
    '@tandem/write/domain',
  ],
  [
    'a read-side library importing write persistence',
    'libs/read/models/src/probe.ts',
    '@tandem/write/persistence',
  ],
  [
    'the query service importing write persistence',
    'apps/query-service/src/probe.ts',
    '@tandem/write/persistence',
  ],
  ['the write side importing read models', 'libs/write/persistence/src/probe.ts', '@tandem/read/models'],
  [
    'the command service importing read projections',
    'apps/command-service/src/probe.ts',
    '@tandem/read/projections',
  ],
  ['the gateway importing the write domain', 'apps/gateway/src/probe.ts', '@tandem/write/domain'],
  ['the gateway importing read models', 'apps/gateway/src/probe.ts', '@tandem/read/models'],
  [
    'the command service importing the read progress entry',
    'apps/command-service/src/probe.ts',
    '@tandem/read/projections/progress',
  ],
  // Probes must not close a dependency cycle: the rule reports a cycle instead of the tag it breaks. (The read
  // models import contracts, for the events they read: contracts importing them is refused as a cycle.)
  ['platform code importing the write domain', 'libs/platform/http/src/probe.ts', '@tandem/write/domain'],
  ['platform code importing read models', 'libs/platform/config/src/probe.ts', '@tandem/read/models'],
  ['an inline model importing the write domain', 'libs/inline-models/src/probe.ts', '@tandem/write/domain'],
  ['an inline model importing read models', 'libs/inline-models/src/probe.ts', '@tandem/read/models'],
  ['the gateway importing inline models', 'apps/gateway/src/probe.ts', '@tandem/inline-models'],
  ['platform code importing inline models', 'libs/platform/sql/src/probe.ts', '@tandem/inline-models'],
];
const impure: Array<[string, string, string]> = [
  ['the pure domain importing TypeORM', 'libs/write/domain/src/probe.ts', 'typeorm'],
  ['the pure domain importing NestJS', 'libs/write/domain/src/probe.ts', '@nestjs/common'],
  ['the pure domain importing kafkajs', 'libs/write/domain/src/probe.ts', 'kafkajs'],
];
const allowed: Array<[string, string, string]> = [
  ['the read side importing contracts', 'libs/read/projections/src/probe.ts', '@tandem/contracts'],
  ['the write side importing contracts', 'libs/write/persistence/src/probe.ts', '@tandem/contracts'],
  ['the command service importing its domain', 'apps/command-service/src/probe.ts', '@tandem/write/domain'],
  ['the gateway importing platform http', 'apps/gateway/src/probe.ts', '@tandem/platform/http'],
  [
    'the query service importing the read progress entry',
    'apps/query-service/src/probe.ts',
    '@tandem/read/projections/progress',
  ],
  // Inline models are the one definition both sides use: the write side applies them, the read side queries them.
  [
    'write persistence importing inline models',
    'libs/write/persistence/src/probe.ts',
    '@tandem/inline-models',
  ],
  [
    'the command service importing inline models',
    'apps/command-service/src/probe.ts',
    '@tandem/inline-models',
  ],
  ['the query service importing inline models', 'apps/query-service/src/probe.ts', '@tandem/inline-models'],
  [
    'an inline model importing the read-model kit',
    'libs/inline-models/src/probe.ts',
    '@tandem/platform/read-model',
  ],
];

describe('module boundaries', () => {
  let messages: string[][] = [];

  beforeAll(() => {
    const probes = [...refused, ...allowed, ...impure].map(([, file, imports]) => ({ file, imports }));
    const out = execFileSync(process.execPath, [path.join(ROOT, 'tools/architecture/lint-probes.mjs')], {
      cwd: ROOT,
      input: JSON.stringify(probes),
      env: { ...process.env, NX_DAEMON: 'false' },
      encoding: 'utf8',
    });
    messages = JSON.parse(out) as string[][];
  }, 120_000);

  it.each(refused.map((c, i) => [...c, i] as const))('refuses %s', (_case, _file, _alias, index) => {
    expect(messages[index]).toHaveLength(1);
    expect(messages[index]?.[0]).toMatch(/can only depend on libs tagged with/);
  });

  it.each(allowed.map((c, i) => [...c, refused.length + i] as const))(
    'allows %s',
    (_case, _file, _alias, index) => {
      expect(messages[index]).toEqual([]);
    },
  );

  it.each(impure.map((c, i) => [...c, refused.length + allowed.length + i] as const))(
    'refuses %s',
    (_case, _file, _alias, index) => {
      expect(messages[index]).toHaveLength(1);
      expect(messages[index]?.[0]).toMatch(/write domain is pure TypeScript/);
    },
  );
});
