/**
 * The workflow runner the workflow runs rely on (`__fixtures__/workflow-run.ts`): that it evaluates expressions as
 * GitHub does, refuses what it does not support, and hands outputs, matrices and artifacts on as a runner does.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifactsOf, downloadArtifacts, uploadArtifact } from './__fixtures__/artifact-dirs';
import { condition, evaluate, interpolate, type ExpressionContext } from './__fixtures__/expressions';
import { parseCommandFile, runWorkflow } from './__fixtures__/workflow-run';

const ctx: ExpressionContext = {
  status: 'success',
  contexts: {
    github: {
      event: { workflow_run: { pull_requests: [{ number: 7 }], conclusion: 'success' } },
      ref: 'refs/heads/main',
    },
    needs: { flags: { result: 'success', outputs: { jobs: '0', matrix: '{"include":[{"name":"a"}]}' } } },
    steps: { render: { outputs: { rendered: 'true' } } },
  },
};

describe('the expressions of the workflow runner', () => {
  it.each([
    ['github.event.workflow_run.pull_requests[0].number', 7],
    ["github.event.workflow_run.conclusion == 'SUCCESS'", true],
    ["needs.flags.outputs.jobs != '0'", false],
    ["steps.render.outputs.rendered == 'true' && 'yes' || 'no'", 'yes'],
    ['github.event.nothing.here', null],
    ["fromJSON(needs.flags.outputs.matrix).include[0]['name']", 'a'],
    ["!(github.ref == 'refs/heads/main')", false],
    ["format('{0}-{1}', 'a', 7)", 'a-7'],
  ])('%s is %j', (expression, value) => {
    expect(evaluate(expression, ctx)).toEqual(value);
  });

  it('splices values into text and keeps the type of a value that is one expression', () => {
    expect(interpolate('apply-${{ needs.flags.outputs.jobs }}', ctx)).toBe('apply-0');
    expect(interpolate('${{ fromJSON(needs.flags.outputs.matrix) }}', ctx)).toEqual({ include: [{ name: 'a' }] });
  });

  it('hashes files as GitHub does: the SHA-256 of their SHA-256 digests, empty when none exists', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'kitt-hash-files-'));
    try {
      writeFileSync(join(workspace, 'package-lock.json'), '{}\n');
      const withWorkspace = { ...ctx, contexts: { ...ctx.contexts, github: { workspace } } };
      const digest = createHash('sha256').update(createHash('sha256').update('{}\n').digest()).digest('hex');
      expect(evaluate("hashFiles('package-lock.json')", withWorkspace)).toBe(digest);
      expect(evaluate("hashFiles('missing.json')", withWorkspace)).toBe('');
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('reads an if: without a status function as success() && …', () => {
    expect(condition('always()', { ...ctx, status: 'failure' })).toBe(true);
    expect(condition("github.ref == 'refs/heads/main'", { ...ctx, status: 'failure' })).toBe(false);
    expect(condition(undefined, { ...ctx, status: 'skipped' })).toBe(false);
  });

  it.each([
    ["hashFiles('**/package-lock.json')", 'hashFiles() of a glob pattern is not supported'],
    ["hashFiles('package-lock.json')", 'hashFiles() needs github.workspace'],
    ['vars.NAME', "unknown context 'vars'"],
    ['needs.*.result', "object filters ('.*') are not supported"],
    ['github.run_number > 3', "the operator '>' is not supported"],
    ["'unterminated", 'unterminated string'],
  ])('refuses %s loudly', (expression, message) => {
    expect(() => evaluate(expression, ctx)).toThrow(message);
  });
});

describe('the command files of the workflow runner', () => {
  it('reads name=value lines and name<<DELIMITER blocks', () => {
    expect(parseCommandFile('a=1=2\nbody<<EOF\nline 1\nline 2\nEOF\nb=\n', 'GITHUB_OUTPUT')).toEqual({
      a: '1=2',
      body: 'line 1\nline 2',
      b: '',
    });
  });

  it('refuses a line it cannot read, as the runner does', () => {
    expect(() => parseCommandFile('matrix {"include":[]}\n', 'GITHUB_OUTPUT')).toThrow('neither name=value');
    expect(() => parseCommandFile('body<<EOF\nnever closed\n', 'GITHUB_OUTPUT')).toThrow("no closing 'EOF'");
  });
});

describe('artifacts as directories', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kitt-artifacts-'));
    for (const file of [
      'out/plans/f/f-flag/summary.json',
      'out/plans/f/f-flag/tfplan',
      'out/plans/f/f-cell-a1/summary.json',
    ]) {
      mkdirSync(join(root, 'ws', file, '..'), { recursive: true });
      writeFileSync(join(root, 'ws', file), file);
    }
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the paths below the part of a pattern before its first wildcard', () => {
    uploadArtifact(join(root, 'store'), 1, 'plan-summaries-f', 'out/plans/**/summary.json', join(root, 'ws'));
    expect(Object.keys(artifactsOf(join(root, 'store'), 1)['plan-summaries-f'] ?? {}).sort()).toEqual([
      'f/f-cell-a1/summary.json',
      'f/f-flag/summary.json',
    ]);
  });

  it('refuses a second artifact of the same name in one run', () => {
    uploadArtifact(join(root, 'store'), 1, 'a', 'out/plans/f/f-flag/summary.json', join(root, 'ws'));
    expect(() => uploadArtifact(join(root, 'store'), 1, 'a', 'out/plans/**/summary.json', join(root, 'ws'))).toThrow(
      "an artifact named 'a' already exists in run 1",
    );
  });

  it('downloads by pattern into a directory per artifact, or merged', () => {
    const store = join(root, 'store');
    uploadArtifact(store, 1, 'plan-summaries-f', 'out/plans/**/summary.json', join(root, 'ws'));
    downloadArtifacts(store, {
      pattern: 'plan-summaries-*',
      path: join(root, 'apart'),
      mergeMultiple: false,
      runId: 1,
    });
    downloadArtifacts(store, {
      pattern: 'plan-summaries-*',
      path: join(root, 'merged'),
      mergeMultiple: true,
      runId: 1,
    });
    expect(readdirSync(join(root, 'apart'))).toEqual(['plan-summaries-f']);
    expect(readdirSync(join(root, 'merged'))).toEqual(['f']);
    expect(() => downloadArtifacts(store, { name: 'nope', path: root, mergeMultiple: false, runId: 1 })).toThrow(
      'Artifact not found for name: nope',
    );
  });
});

describe('a workflow run', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kitt-workflow-run-'));
    mkdirSync(join(root, 'ws'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function run(workflow: string) {
    writeFileSync(join(root, 'workflow.yml'), workflow);
    return runWorkflow({
      workflow: join(root, 'workflow.yml'),
      workspace: join(root, 'ws'),
      event: { name: 'push', payload: {} },
      github: {
        sha: 'a'.repeat(40),
        ref: 'refs/heads/main',
        repository: 'acme/infra',
        runId: 1,
        token: 't',
        apiUrl: 'http://127.0.0.1:9',
      },
      env: { PATH: process.env.PATH },
      artifacts: join(root, 'artifacts'),
      tempRoot: root,
    });
  }

  it('hands a matrix and outputs from job to job, and stops a step at its first failing command, pipes included', async () => {
    const done = await run(`
jobs:
  list:
    runs-on: ubuntu-latest
    outputs:
      matrix: \${{ steps.m.outputs.matrix }}
    steps:
      - id: m
        run: echo 'matrix={"include":[{"name":"a"},{"name":"b"}]}' >> "$GITHUB_OUTPUT"
  each:
    needs: list
    runs-on: ubuntu-latest
    strategy:
      matrix: \${{ fromJSON(needs.list.outputs.matrix) }}
    env:
      NAME: \${{ matrix.name }}
    steps:
      - run: |
          echo "job $NAME" >> "$GITHUB_STEP_SUMMARY"
          if [ "$NAME" = b ]; then false | true; fi
          echo "went on" >> "$GITHUB_STEP_SUMMARY"
      - if: failure()
        run: echo "after the failure of $NAME" >> "$GITHUB_STEP_SUMMARY"
`);
    expect(done.job('each').map((j) => [j.matrix, j.result, j.summary])).toEqual([
      [{ name: 'a' }, 'success', 'job a\nwent on\n'],
      [{ name: 'b' }, 'failure', 'job b\nafter the failure of b\n'],
    ]);
  });

  it('fails loudly on an action it has no stand-in for, and on an expression inside run', async () => {
    await expect(
      run('jobs:\n  j:\n    runs-on: x\n    steps:\n      - uses: actions/github-script@v7\n'),
    ).rejects.toThrow('no stand-in for the action actions/github-script@v7');
    await expect(run('jobs:\n  j:\n    runs-on: x\n    steps:\n      - run: echo ${{ github.sha }}\n')).rejects.toThrow(
      '${{ }} inside run',
    );
  });
});
