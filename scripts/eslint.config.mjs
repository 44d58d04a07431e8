import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';

// Who may import whom (ARCHITECTURE.md, "Packages"). Tags live in each package.json.
const depConstraints = [
  { sourceTag: 'layer:core', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'layer:config', onlyDependOnLibsWithTags: ['layer:core'] },
  { sourceTag: 'layer:stack', onlyDependOnLibsWithTags: ['layer:core', 'layer:config', 'layer:stack'] },
  { sourceTag: 'layer:gitops', onlyDependOnLibsWithTags: ['layer:core', 'layer:config', 'layer:stack'] },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      '**/cdktf.out/**',
      'out/**',
      'coverage/**',
      '.nx/**',
      '**/__snapshots__/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The allocator is pure: no cdktf, no Octokit, no zx, no I/O.
    files: ['packages/allocator/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['cdktf', 'cdktf/*', '@cdktf/*', 'constructs'], message: 'The allocator is pure: no cdktf.' },
            { group: ['@octokit/*'], message: 'The allocator is pure: no GitHub client.' },
            {
              group: ['zx', 'zx/*', 'fs', 'node:fs', 'fs/*', 'node:fs/*', 'child_process', 'node:child_process'],
              message: 'The allocator is pure: no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
