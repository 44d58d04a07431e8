import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { InputError } from '@kitt/flag-config';
import type { FlagAppComposer } from './compose';
import { synthesizeFlags } from './repository';
import { makeTempRepo } from './__fixtures__/temp-repo';

const PAYMENTS = 'flags/payments/prod/us-east-1';
const SEARCH = 'flags/search/dev/eu-west-1';
const BROKEN = 'flags/broken/dev/us-east-1';

async function inputErrorOf(run: () => Promise<unknown>): Promise<InputError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('synthesizeFlags', () => {
  const good = { [PAYMENTS]: 'payments-prod-us-east-1.flag.yaml', [SEARCH]: 'search-dev-eu-west-1.flag.yaml' };

  it('synthesizes every FLAG of the repository into <root>/cdktf.out by default', async () => {
    const repo = makeTempRepo(good);
    try {
      const results = await synthesizeFlags(repo.root);
      expect(results.map((result) => [result.flagDir, result.stacks.map((stack) => stack.name)])).toEqual([
        [
          PAYMENTS,
          [
            'payments-prod-us-east-1-flag',
            'payments-prod-us-east-1-cell-a1',
            'payments-prod-us-east-1-cell-b1',
            'payments-prod-us-east-1-addons-a1',
            'payments-prod-us-east-1-addons-b1',
          ],
        ],
        [SEARCH, ['search-dev-eu-west-1-flag', 'search-dev-eu-west-1-cell-m1', 'search-dev-eu-west-1-addons-m1']],
      ]);
      expect(readdirSync(path.join(repo.root, 'cdktf.out')).sort()).toEqual([
        'payments-prod-us-east-1',
        'search-dev-eu-west-1',
      ]);
      const manifest = JSON.parse(
        readFileSync(path.join(repo.root, 'cdktf.out/search-dev-eu-west-1/manifest.json'), 'utf8'),
      );
      expect(Object.keys(manifest.stacks)).toEqual([
        'search-dev-eu-west-1-addons-m1',
        'search-dev-eu-west-1-cell-m1',
        'search-dev-eu-west-1-flag',
      ]);
    } finally {
      repo.dispose();
    }
  });

  it('synthesizes only the FLAGs named, into the output directory given', async () => {
    const repo = makeTempRepo(good);
    try {
      const results = await synthesizeFlags(repo.root, { dirs: [`${SEARCH}/`], outDir: 'out/synth' });
      expect(results.map((result) => result.flagId)).toEqual(['search-dev-eu-west-1']);
      expect(results[0]?.outDir).toBe(path.join(repo.root, 'out/synth/search-dev-eu-west-1'));
      expect(readdirSync(path.join(repo.root, 'out/synth'))).toEqual(['search-dev-eu-west-1']);
    } finally {
      repo.dispose();
    }
  });

  it('builds each FLAG with the composer given, in this thread even when workers are asked for', async () => {
    const repo = makeTempRepo(good);
    const crashing = path.join(__dirname, '__fixtures__', 'crashing-worker.cjs');
    const onlyFlagStacks: FlagAppComposer = (app, input) => {
      const stack = new TerraformStack(app, `${input.flag.id}-flag`);
      new S3Backend(stack, { bucket: 'kitt-test-state', key: 'flag.tfstate', region: 'us-east-1' });
      new TerraformOutput(stack, 'composed', { value: input.plan.vpcCidr });
      return [{ stack, layer: 'flag' }];
    };
    try {
      // A worker thread would run the crashing module: none starts.
      const results = await synthesizeFlags(repo.root, { workers: 2, workerModule: crashing, compose: onlyFlagStacks });
      expect(results.map((r) => r.stacks.map((s) => s.name))).toEqual([
        ['payments-prod-us-east-1-flag'],
        ['search-dev-eu-west-1-flag'],
      ]);
      const config = JSON.parse(
        readFileSync(
          path.join(repo.root, 'cdktf.out/search-dev-eu-west-1/stacks/search-dev-eu-west-1-flag/cdk.tf.json'),
          'utf8',
        ),
      );
      expect(config.output.composed.value).toBe('10.17.0.0/16');
    } finally {
      repo.dispose();
    }
  });

  it('writes nothing when one FLAG is bad, and reports that FLAG’s issues', async () => {
    const repo = makeTempRepo({ ...good, [BROKEN]: 'bad-vpc.flag.yaml' });
    try {
      const error = await inputErrorOf(() => synthesizeFlags(repo.root));
      expect(error.issues).toEqual([expect.objectContaining({ code: 'VPC_NOT_SLASH16', file: `${BROKEN}/flag.yaml` })]);
      expect(existsSync(path.join(repo.root, 'cdktf.out'))).toBe(false);
    } finally {
      repo.dispose();
    }
  });

  it('reports a named directory without a flag.yaml as FLAG_NOT_FOUND', async () => {
    const repo = makeTempRepo(good);
    try {
      const error = await inputErrorOf(() => synthesizeFlags(repo.root, { dirs: ['flags/nobody/prod/us-east-1'] }));
      expect(error.issues).toEqual([
        expect.objectContaining({ code: 'FLAG_NOT_FOUND', file: 'flags/nobody/prod/us-east-1/flag.yaml' }),
      ]);
    } finally {
      repo.dispose();
    }
  });
});
