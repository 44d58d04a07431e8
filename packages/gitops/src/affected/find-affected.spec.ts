import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestRepo } from './__fixtures__/test-repo';
import { AffectedErrorCode } from './errors';
import { findAffected, type FindAffectedOptions } from './find-affected';
import { kittSynthesizer, type SynthesisRequest } from '../checkout/synthesize-tree';
import type { AffectedReport, AffectedStack } from './types';

const ACME = 'acme-prod-us-east-1';
const BETA = 'beta-dev-eu-west-1';
const ORG = `accounts:
  "111111111111":
    planRoleArn: arn:aws:iam::111111111111:role/kitt-plan
    applyRoleArn: arn:aws:iam::111111111111:role/kitt-apply
  "222222222222":
    planRoleArn: arn:aws:iam::222222222222:role/kitt-plan
    applyRoleArn: arn:aws:iam::222222222222:role/kitt-apply
`;

let repo: TestRepo;
let base: string;
let synthesized: SynthesisRequest[];

beforeEach(() => {
  repo = TestRepo.create();
  repo.write({ 'flags/org.yaml': ORG });
  repo.writeFlag({ customer: 'acme', cells: { a1: 3, b1: 3 } });
  repo.writeFlag({
    customer: 'beta',
    environment: 'dev',
    region: 'eu-west-1',
    accountId: '222222222222',
    vpcCidr: '10.2.0.0/16',
  });
  base = repo.commit('base');
  synthesized = [];
});

afterEach(() => repo.dispose());

/** findAffected on the test repository with the stand-in `kitt synth`, recording what was synthesized where. */
function affected(options: Partial<FindAffectedOptions> = {}): Promise<AffectedReport> {
  return findAffected({
    cwd: repo.root,
    base,
    detector: 'paths',
    synthesize: async (request) => {
      synthesized.push(request);
      await kittSynthesizer(request);
    },
    ...options,
  });
}

/** `[stack without the FLAG id, reason]` pairs. */
function reasons(stacks: readonly AffectedStack[]): string[][] {
  return stacks.map((s) => [s.flag, s.stack.slice(s.flag.length + 1), s.reason]);
}

describe('findAffected on a real git repository', () => {
  it('plans only the changed stacks of the FLAG whose flag.yaml changed, synthesizing only that FLAG', async () => {
    repo.edit(`flags/acme/prod/us-east-1/flag.yaml`, 'name: a1\n    nodes: 3', 'name: a1\n    nodes: 5');
    const head = repo.commit('grow a1');

    const report = await affected({ head });

    expect(reasons(report.stacks)).toEqual([
      [ACME, 'cell-a1', 'config-changed'],
      [ACME, 'addons-a1', 'upstream-changed'],
    ]);
    expect(reasons(report.unchanged)).toEqual([
      [ACME, 'flag', 'unchanged'],
      [ACME, 'cell-b1', 'unchanged'],
      [ACME, 'addons-b1', 'unchanged'],
    ]);
    expect(report.flags).toEqual([ACME]);
    expect(synthesized.map((r) => r.flagDirs)).toEqual([['flags/acme/prod/us-east-1'], ['flags/acme/prod/us-east-1']]);
  });

  it('splits the worker threads between head and base when both synthesize, and gives one side all of them', async () => {
    repo.edit(`flags/acme/prod/us-east-1/flag.yaml`, 'name: a1\n    nodes: 3', 'name: a1\n    nodes: 5');
    const grown = repo.commit('grow a1');
    await affected({ head: grown, workers: 4 });
    expect(synthesized.map((r) => r.workers)).toEqual([2, 2]);

    synthesized = [];
    repo.writeFlag({ customer: 'gamma', vpcCidr: '10.3.0.0/16' });
    await affected({ base: grown, head: repo.commit('add gamma'), workers: 4 });
    expect(synthesized.map((r) => [r.flagDirs, r.workers])).toEqual([[['flags/gamma/prod/us-east-1'], 4]]);
  });

  it('plans nothing for a layer package change that alters no synthesized output', async () => {
    repo.edit(
      'packages/layer/render.cjs',
      "const LAYER_VERSION = 'layer-1';",
      "const LAYER_VERSION = 'layer-2'; // metadata only",
    );
    const head = repo.commit('bump layer version');

    const report = await affected({ head });

    expect(report.flags).toEqual([ACME, BETA]);
    expect(report.stacks).toEqual([]);
    expect(report.unchanged).toHaveLength(8);
    expect(report.matrix.include).toEqual([]);
  });

  it("synthesizes base with base's own layer code, so a layer change that alters output is planned", async () => {
    repo.edit('packages/layer/render.cjs', "const ADDONS = ['ingress'];", "const ADDONS = ['ingress', 'dns'];");
    const head = repo.commit('add dns addon');

    const report = await affected({ head });

    expect(reasons(report.stacks)).toEqual([
      [ACME, 'addons-a1', 'config-changed'],
      [ACME, 'addons-b1', 'config-changed'],
      [BETA, 'addons-a1', 'config-changed'],
    ]);
    const baseRun = synthesized.find((r) => r.treeDir !== repo.root);
    expect(baseRun).toBeDefined();
  });

  it('asks Nx which FLAGs a package change affects and synthesizes only those', async () => {
    repo.edit('packages/layer/render.cjs', "const ADDONS = ['ingress'];", "const ADDONS = ['ingress', 'dns'];");
    const head = repo.commit('add dns addon');
    const listProjects = jest.fn(async () => ['layer', `flag-${BETA}`]);

    const report = await affected({ head, detector: 'nx', listProjects });

    expect(listProjects).toHaveBeenCalledWith({ cwd: repo.root, affected: { base, head } });
    expect(report.flags).toEqual([BETA]);
    expect(reasons(report.stacks)).toEqual([[BETA, 'addons-a1', 'config-changed']]);
  });

  it('calls every stack of a new FLAG new, in apply order, without synthesizing at base', async () => {
    repo.writeFlag({ customer: 'gamma', vpcCidr: '10.3.0.0/16', cells: { a1: 1 } });
    const head = repo.commit('add gamma');

    const report = await affected({ head });

    expect(reasons(report.stacks)).toEqual([
      ['gamma-prod-us-east-1', 'flag', 'new'],
      ['gamma-prod-us-east-1', 'cell-a1', 'new'],
      ['gamma-prod-us-east-1', 'addons-a1', 'new'],
    ]);
    expect(synthesized).toHaveLength(1);
  });

  it("plans a removed FLAG's stacks as removed, from base's config and account", async () => {
    repo.remove('flags/beta');
    const head = repo.commit('remove beta');

    const report = await affected({ head });

    expect(reasons(report.stacks)).toEqual([
      [BETA, 'flag', 'removed'],
      [BETA, 'cell-a1', 'removed'],
      [BETA, 'addons-a1', 'removed'],
    ]);
    expect(report.stacks[0]).toMatchObject({
      flagDir: 'flags/beta/dev/eu-west-1',
      accountId: '222222222222',
      planRoleArn: 'arn:aws:iam::222222222222:role/kitt-plan',
    });
    expect(synthesized.map((r) => r.treeDir === repo.root)).toEqual([false]);
  });

  it('refuses a renamed flag.yaml at a head commit instead of planning the FLAG as removed', async () => {
    repo.write({
      'flags/beta/dev/eu-west-1/flag.yml': readFileSync(join(repo.root, 'flags/beta/dev/eu-west-1/flag.yaml'), 'utf8'),
    });
    repo.remove('flags/beta/dev/eu-west-1/flag.yaml');
    const head = repo.commit('rename by mistake');

    await expect(affected({ head })).rejects.toMatchObject({
      code: AffectedErrorCode.FLAG_LAYOUT_INVALID,
      message: expect.stringContaining('flags/beta/dev/eu-west-1/flag.yml'),
    });
    expect(synthesized).toEqual([]);
  });

  it('refuses a flag.yaml turned into a directory in the working tree', async () => {
    repo.remove('flags/beta/dev/eu-west-1/flag.yaml');
    repo.write({ 'flags/beta/dev/eu-west-1/flag.yaml/inner': 'x' });

    await expect(affected()).rejects.toMatchObject({ code: AffectedErrorCode.FLAG_LAYOUT_INVALID });
  });

  it('plans a removed cell as removed', async () => {
    repo.writeFlag({ customer: 'acme', cells: { a1: 3 } });
    const head = repo.commit('drop b1');

    expect(reasons((await affected({ head })).stacks)).toEqual([
      [ACME, 'cell-b1', 'removed'],
      [ACME, 'addons-b1', 'removed'],
    ]);
  });

  it('compares the working tree, uncommitted changes included, when no head is given', async () => {
    repo.edit(`flags/acme/prod/us-east-1/flag.yaml`, 'vpcCidr: 10.1.0.0/16', 'vpcCidr: 10.9.0.0/16');

    const report = await affected();

    expect(report.head).toBeNull();
    expect(reasons(report.stacks)).toEqual([
      [ACME, 'flag', 'config-changed'],
      [ACME, 'cell-a1', 'upstream-changed'],
      [ACME, 'cell-b1', 'upstream-changed'],
      [ACME, 'addons-a1', 'upstream-changed'],
      [ACME, 'addons-b1', 'upstream-changed'],
    ]);
    expect(synthesized.find((r) => r.treeDir === repo.root)).toBeDefined();
  });

  it("takes each FLAG's plan role from base's org.yaml, not from the change", async () => {
    repo.edit(
      'flags/org.yaml',
      'role/kitt-plan\n    applyRoleArn: arn:aws:iam::111111111111',
      'role/admin\n    applyRoleArn: arn:aws:iam::111111111111',
    );
    repo.edit(`flags/acme/prod/us-east-1/flag.yaml`, 'nodes: 3', 'nodes: 4');
    const head = repo.commit('try another role');

    const report = await affected({ head });

    expect(report.stacks[0]?.planRoleArn).toBe('arn:aws:iam::111111111111:role/kitt-plan');
    expect(report.matrix.include).toEqual([
      {
        name: ACME,
        flagDirs: 'flags/acme/prod/us-east-1',
        accountId: '111111111111',
        planRoleArn: 'arn:aws:iam::111111111111:role/kitt-plan',
        awsRegion: 'us-east-1',
      },
    ]);
  });

  it('leaves no worktree behind', async () => {
    repo.edit(`flags/acme/prod/us-east-1/flag.yaml`, 'nodes: 3', 'nodes: 4');
    const head = repo.commit('grow');
    await affected({ head });
    expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1);
  });

  it('refuses a base commit git does not know, with a stable code', async () => {
    await expect(affected({ base: 'no-such-ref' })).rejects.toMatchObject({ code: AffectedErrorCode.GIT_REF_INVALID });
  });
});
