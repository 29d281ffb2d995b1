// Lint for the whole workspace. The module-boundary rule below is the architecture's dependency rule:
// the read side never imports the write side (and the reverse); only contracts, platform code and the inline read
// models (scope:inline: definitions the write side applies and the read side queries) cross.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/tmp/**', '**/.nx/**', '**/coverage/**'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'scope:write',
              onlyDependOnLibsWithTags: ['scope:write', 'scope:shared', 'scope:inline'],
            },
            {
              sourceTag: 'scope:read',
              onlyDependOnLibsWithTags: ['scope:read', 'scope:shared', 'scope:inline'],
            },
            // Inline read models are plain definitions and queries: they know neither side.
            { sourceTag: 'scope:inline', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // Tests, benchmarks and the dev stack are never deployed: they may reach any side to drive or inspect it.
            {
              sourceTag: 'scope:tooling',
              onlyDependOnLibsWithTags: [
                'scope:write',
                'scope:read',
                'scope:gateway',
                'scope:shared',
                'scope:inline',
                'scope:tooling',
              ],
            },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:data', 'type:util'] },
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:domain', 'type:data', 'type:util'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:domain', 'type:data', 'type:util', 'type:tool'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The domain is pure TypeScript: no framework, database or broker code, so that its rules run anywhere.
  {
    files: ['libs/write/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', 'pg', 'kafkajs', '@tandem/platform/*'],
              message:
                'The write domain is pure TypeScript: keep framework, database and broker code outside it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
