import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLAG_FILE_GLOB } from '../naming';
import { SYNTH_EXECUTOR, SYNTH_PACKAGES, buildFlagProject, buildSynthTarget, flagCoordinates } from './targets';
import { createNodes } from './plugin';

const payments = flagCoordinates('flags/payments/prod/us-east-1/flag.yaml')!;

describe('flagCoordinates', () => {
  it('reads the FLAG triple, id and directory from its flag.yaml path', () => {
    expect(payments).toEqual({
      id: 'payments-prod-us-east-1',
      customer: 'payments',
      environment: 'prod',
      region: 'us-east-1',
      root: 'flags/payments/prod/us-east-1',
    });
  });

  it.each([
    'flags/org.yaml',
    'flags/payments/prod/flag.yaml',
    'flags/a/b/c/d/flag.yaml',
    'other/a/b/c/flag.yaml',
    'flags/a/b/c/flag.yml',
  ])('is undefined for %s, which is not a FLAG file', (file) => {
    expect(flagCoordinates(file)).toBeUndefined();
  });
});

describe('buildFlagProject', () => {
  const project = buildFlagProject(payments);

  it('names the project flag-<flag-id>, rooted at the FLAG directory', () => {
    expect(project.name).toBe('flag-payments-prod-us-east-1');
    expect(project.name).toBe('flag-payments-prod-us-east-1');
    expect(project.root).toBe('flags/payments/prod/us-east-1');
  });

  it('tags the project with its type and triple', () => {
    expect(project.tags).toEqual(['type:flag', 'customer:payments', 'environment:prod', 'region:us-east-1']);
  });

  it('depends on every package the synthesis runs through, the plugin’s own package included, so affected sees their changes', () => {
    expect(project.implicitDependencies).toEqual([
      '@kitt/allocator',
      '@kitt/flag-config',
      '@kitt/flag-layer',
      '@kitt/cell-layer',
      '@kitt/addons-layer',
      '@kitt/gitops',
    ]);
    expect(project.implicitDependencies).toEqual([...SYNTH_PACKAGES]);
  });

  it('depends on every workspace package the CLI depends on: a package left out would let Nx (and kitt affected) reuse a stale config', () => {
    const cli = JSON.parse(readFileSync(join(__dirname, '../../../gitops/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    // The bootstrap layer makes an AWS account's stack (kitt bootstrap), never a FLAG's.
    const accountOnly = ['@kitt/bootstrap-layer'];
    const workspace = Object.keys(cli.dependencies).filter(
      (name) => name.startsWith('@kitt/') && !accountOnly.includes(name),
    );
    expect([...SYNTH_PACKAGES].sort()).toEqual([...workspace, '@kitt/gitops'].sort());
  });

  it('has one target, named synth unless told otherwise', () => {
    expect(Object.keys(project.targets ?? {})).toEqual(['synth']);
    expect(Object.keys(buildFlagProject(payments, { targetName: 'cdktf-synth' }).targets ?? {})).toEqual([
      'cdktf-synth',
    ]);
  });
});

describe('buildSynthTarget', () => {
  const target = buildSynthTarget(payments);

  it('runs the synth executor into cdktf.out, which Nx may batch with other FLAGs into one kitt synth', () => {
    expect(target.executor).toBe('@kitt/flag-config:synth');
    expect(target.executor).toBe(SYNTH_EXECUTOR);
    expect(target.options).toEqual({ outDir: 'cdktf.out' });
  });

  it('is cacheable, keyed on the FLAG directory, org.yaml, the CLI entry, the lock file, the packages’ sources and cdktf’s versions', () => {
    expect(target.cache).toBe(true);
    expect(target.inputs).toEqual([
      '{projectRoot}/**/*',
      '{workspaceRoot}/flags/org.yaml',
      '{workspaceRoot}/scripts/kitt.mjs',
      '{workspaceRoot}/package-lock.json',
      '^source',
      {
        externalDependencies: [
          'cdktf',
          'constructs',
          '@cdktf/provider-aws',
          '@cdktf/provider-kubernetes',
          '@cdktf/provider-helm',
        ],
      },
    ]);
  });

  it('outputs exactly the FLAG’s own directory under cdktf.out', () => {
    expect(target.outputs).toEqual(['{workspaceRoot}/cdktf.out/payments-prod-us-east-1']);
  });

  it('follows the output directory option in the executor options and the outputs', () => {
    const custom = buildSynthTarget(payments, { outDir: './build/cdktf/' });
    expect(custom.options).toEqual({ outDir: 'build/cdktf' });
    expect(custom.outputs).toEqual(['{workspaceRoot}/build/cdktf/payments-prod-us-east-1']);
  });

  it('refuses an output directory outside the workspace', () => {
    expect(() => buildSynthTarget(payments, { outDir: '../elsewhere' })).toThrow(/inside the workspace/);
    expect(() => buildSynthTarget(payments, { outDir: '/tmp/out' })).toThrow(/inside the workspace/);
  });

  it('waits for no other task: the packages run from source, there is nothing to build first', () => {
    expect(target.dependsOn).toBeUndefined();
  });

  it('carries a description', () => {
    expect(target.metadata?.description).toContain('payments-prod-us-east-1');
  });
});

describe('the plugin', () => {
  it('matches flag.yaml files three directories below flags/', () => {
    expect(createNodes[0]).toBe(FLAG_FILE_GLOB);
    expect(FLAG_FILE_GLOB).toBe('flags/*/*/*/flag.yaml');
  });

  it('returns one project per FLAG file, keyed by the file and the project root', async () => {
    const files = ['flags/payments/prod/us-east-1/flag.yaml', 'flags/search/dev/eu-west-1/flag.yaml'];
    const results = await createNodes[1](files, undefined, { nxJsonConfiguration: {}, workspaceRoot: '/repo' });
    expect(results.map(([file, result]) => [file, Object.keys(result.projects ?? {})])).toEqual([
      ['flags/payments/prod/us-east-1/flag.yaml', ['flags/payments/prod/us-east-1']],
      ['flags/search/dev/eu-west-1/flag.yaml', ['flags/search/dev/eu-west-1']],
    ]);
    expect(results[1]?.[1].projects?.['flags/search/dev/eu-west-1']?.name).toBe('flag-search-dev-eu-west-1');
  });
});

describe('the Nx entry point (entry.cjs)', () => {
  it('loads the TypeScript plugin in a plain Node process, as Nx does without a TypeScript loader of its own', () => {
    // A child process: Jest's module system is not the one Nx loads plugins with.
    const printed = execFileSync(
      process.execPath,
      ['-e', "const p = require('./entry.cjs'); console.log(p.createNodes[0], p.createNodesV2 === p.createNodes)"],
      {
        cwd: __dirname,
        encoding: 'utf8',
      },
    );
    expect(printed.trim()).toBe('flags/*/*/*/flag.yaml true');
  });
});
