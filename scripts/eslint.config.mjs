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

// Which gitops folders each gitops folder may import (non-spec files), so that no two folders import each other:
// parsing below rendering, the pure core below the edges (terraform, GitHub, the CLI).
const ALL_BUT_CLI = [
  'affected',
  'checkout',
  'github',
  'json',
  'plan',
  'plan-markdown',
  'record',
  'stacks',
  'synth',
  'terraform',
  'workflows',
];
const gitopsImports = {
  json: [],
  checkout: ['synth'],
  stacks: [],
  workflows: [],
  synth: ['json'],
  plan: ['json'],
  'plan-markdown': ['plan'],
  affected: ['checkout', 'json', 'stacks', 'synth'],
  github: ['plan', 'plan-markdown'],
  record: ['affected', 'json', 'plan', 'plan-markdown'],
  terraform: ['affected', 'checkout', 'plan', 'plan-markdown', 'stacks', 'synth'],
  apply: ALL_BUT_CLI,
  'cluster-access': [],
  bootstrap: ['github', 'terraform'],
  drift: ['affected', 'apply', 'checkout', 'github', 'json', 'plan', 'plan-markdown', 'record'],
  cli: [...ALL_BUT_CLI, 'apply', 'bootstrap', 'cluster-access', 'drift'],
};
// Pure folders: values in, values out. Files and processes are read at the edges.
const pureGitopsFolders = ['json', 'plan', 'plan-markdown'];
const noIo = {
  group: ['zx', 'zx/*', 'fs', 'node:fs', 'fs/*', 'node:fs/*', 'child_process', 'node:child_process', '@octokit/*'],
  message: 'This folder is pure: files, processes and GitHub are reached from the edges (terraform, github, cli).',
};
const gitopsFolderRules = Object.entries(gitopsImports).map(([folder, allowed]) => {
  const denied = Object.keys(gitopsImports).filter((other) => other !== folder && !allowed.includes(other));
  const allowedText = allowed.length > 0 ? allowed.join(', ') : 'no other gitops folder';
  const patterns = [
    {
      group: ['@kitt/gitops', '@kitt/gitops/*'],
      message: 'Import the module itself, not the package entry (the CLI).',
    },
    ...(denied.length > 0
      ? [
          {
            regex: `^(\\.\\./)+(${denied.join('|')})(/|$)`,
            message: `gitops ${folder}/ may import only ${allowedText}.`,
          },
        ]
      : []),
    ...(pureGitopsFolders.includes(folder) ? [noIo] : []),
  ];
  return {
    files: [`packages/gitops/src/${folder}/**/*.ts`],
    ignores: ['**/*.spec.ts', '**/__fixtures__/**'],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
});

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
    // The addons layer: cdktf constructs from the providers' submodules (a package root loads every resource), no I/O.
    files: ['packages/addons-layer/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/__fixtures__/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@cdktf/provider-[a-z]+$',
              message: 'Import a provider class from its submodule, @cdktf/provider-<name>/lib/<resource>.',
            },
            {
              group: ['@octokit/*', '@kitt/gitops', '@kitt/gitops/*'],
              message: 'The addons layer builds stacks only.',
            },
            {
              group: ['zx', 'zx/*', 'fs', 'node:fs', 'fs/*', 'node:fs/*', 'child_process', 'node:child_process'],
              message: 'The addons layer reads no files and runs no processes: its input is its config.',
            },
          ],
        },
      ],
    },
  },
  ...gitopsFolderRules,
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
