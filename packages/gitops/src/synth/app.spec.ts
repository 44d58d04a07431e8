import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { InputError, parseFlag, stackName, type Flag, type OrgConfig, parseOrg } from '@kitt/flag-config';
import { CellLayerError } from '@kitt/cell-layer';
import { FlagLayerError, FlagStack } from '@kitt/flag-layer';
import { SynthError, prepareFlag, synthesizeFlag, writeFlagApp } from './app';
import type { FlagAppComposer } from './compose';
import { configHash } from './config-hash';
import { fixture } from './__fixtures__/temp-repo';
import type { SynthResult } from './types';

const FLAG_FILE = 'flags/payments/prod/us-east-1/flag.yaml';
const flag: Flag = parseFlag(fixture('payments-prod-us-east-1.flag.yaml'), FLAG_FILE);
const org: OrgConfig = parseOrg(fixture('org.yaml'));
const STACK = 'payments-prod-us-east-1-flag';
/** The fixture FLAG's cells a1 and b1: one cell stack each, after the flag stack. */
const CELL_STACKS = ['payments-prod-us-east-1-cell-a1', 'payments-prod-us-east-1-cell-b1'];
/** And one addons stack each, after its cell. */
const ADDONS_STACKS = ['payments-prod-us-east-1-addons-a1', 'payments-prod-us-east-1-addons-b1'];

/** Every file under `dir`: relative path → its bytes (as latin1, one char per byte, so jest compares them fast). */
function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), readFileSync(file).toString('latin1'));
  }
  return files;
}

describe('synthesizeFlag', () => {
  let scratch: string;
  let first: SynthResult;

  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'kitt-synth-app-'));
    first = synthesizeFlag(flag, org, path.join(scratch, 'one'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes the cdktf layout: manifest.json and stacks/<stack>/cdk.tf.json under <outDir>/<flag-id>, with the assets of addons stacks', () => {
    expect(first.outDir).toBe(path.join(scratch, 'one', 'payments-prod-us-east-1'));
    const postRenderer = /^assets\/ebs-csi-host-network\/[0-9A-F]{32}\/ebs-csi-host-network\.mjs$/;
    expect([...readTree(first.outDir).keys()].sort()).toEqual([
      'manifest.json',
      ...ADDONS_STACKS.flatMap((stack) => [
        expect.stringMatching(new RegExp(`^stacks/${stack}/${postRenderer.source.slice(1)}`)),
        path.join('stacks', stack, 'cdk.tf.json'),
      ]),
      ...CELL_STACKS.map((stack) => path.join('stacks', stack, 'cdk.tf.json')),
      path.join('stacks', STACK, 'cdk.tf.json'),
    ]);
  });

  it("lists the flag stack and its dependencies in cdktf's own manifest", () => {
    const manifest = JSON.parse(readFileSync(path.join(first.outDir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks)).toEqual([...ADDONS_STACKS, ...CELL_STACKS, STACK]);
    expect(manifest.stacks[STACK]).toMatchObject({
      name: STACK,
      workingDirectory: `stacks/${STACK}`,
      synthesizedStackPath: `stacks/${STACK}/cdk.tf.json`,
      dependencies: [],
    });
    for (const cell of CELL_STACKS) expect(manifest.stacks[cell].dependencies).toEqual([STACK]);
    // Each addons stack depends on its cell's stack, and through it on the flag stack.
    ADDONS_STACKS.forEach((addons, index) =>
      expect(manifest.stacks[addons].dependencies).toEqual([CELL_STACKS[index]]),
    );
  });

  it('writes a Terraform config with the FLAG’s S3 backend and its VPC', () => {
    const config = JSON.parse(readFileSync(path.join(first.outDir, 'stacks', STACK, 'cdk.tf.json'), 'utf8'));
    expect(config.terraform.backend.s3).toMatchObject({
      bucket: 'kitt-test-state',
      key: 'flags/payments/prod/us-east-1/flag.tfstate',
    });
    expect(Object.values(config.resource.aws_vpc)).toEqual([expect.objectContaining({ cidr_block: '10.16.0.0/16' })]);
  });

  it('returns each stack with its layer, dependencies, config hash and resources by type', () => {
    const text = readFileSync(path.join(first.outDir, 'stacks', STACK, 'cdk.tf.json'), 'utf8');
    expect(first.flagId).toBe('payments-prod-us-east-1');
    expect(first.flagDir).toBe('flags/payments/prod/us-east-1');
    expect(first.stacks.map((stack) => [stack.name, stack.layer, stack.cell, stack.dependsOn])).toEqual([
      [STACK, 'flag', undefined, []],
      [CELL_STACKS[0], 'cell', 'a1', [STACK]],
      [CELL_STACKS[1], 'cell', 'b1', [STACK]],
      [ADDONS_STACKS[0], 'addons', 'a1', [CELL_STACKS[0]]],
      [ADDONS_STACKS[1], 'addons', 'b1', [CELL_STACKS[1]]],
    ]);
    expect(first.stacks[0]).toMatchObject({
      name: STACK,
      layer: 'flag',
      dependsOn: [],
      configFile: `stacks/${STACK}/cdk.tf.json`,
      configHash: configHash(text),
    });
    expect(first.stacks[0]?.resourceCounts).toMatchObject({ aws_vpc: 1, aws_subnet: 16, aws_nat_gateway: 3 });
  });

  it('writes byte-identical output on a second run, in another directory and from another working directory', () => {
    const cwd = process.cwd();
    let second: SynthResult;
    try {
      process.chdir(tmpdir());
      second = synthesizeFlag(flag, org, path.join(scratch, 'two'));
    } finally {
      process.chdir(cwd);
    }
    expect(readTree(second.outDir)).toEqual(readTree(first.outDir));
    expect(second.stacks).toEqual(first.stacks);
  });

  it('replaces the previous output of the FLAG and leaves no staging directory behind', () => {
    const before = readTree(first.outDir);
    synthesizeFlag(flag, org, path.join(scratch, 'one'));
    expect(readdirSync(path.join(scratch, 'one'))).toEqual(['payments-prod-us-east-1']);
    expect(readTree(first.outDir)).toEqual(before);
  });

  it('refuses a bad FLAG with an InputError naming its file and field, before writing anything', () => {
    const bad: Flag = { ...flag, network: { ...flag.network, vpcCidr: '10.16.0.0/20' } };
    const outDir = path.join(scratch, 'bad');
    let thrown: unknown;
    try {
      synthesizeFlag(bad, org, outDir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).issues).toContainEqual(
      expect.objectContaining({ code: 'VPC_NOT_SLASH16', file: FLAG_FILE, path: 'network.vpcCidr' }),
    );
    expect(existsSync(outDir)).toBe(false);
  });
});

describe('writeFlagApp with a composer of more layers', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'kitt-synth-compose-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  /** The flag stack plus a cell-like stack that reads the flag stack's VPC id (a cross-stack reference). */
  const withCell: FlagAppComposer = (app, input) => {
    const flagStack = new FlagStack(app, stackName(input.flag, 'flag'), input);
    const cell = new TerraformStack(app, stackName(input.flag, 'cell', 'a1'));
    new S3Backend(cell, { bucket: 'kitt-test-state', key: 'cell-a1.tfstate', region: 'us-east-1' });
    new TerraformOutput(cell, 'vpc', { value: flagStack.outputs.vpcId });
    return [
      { stack: flagStack, layer: 'flag' },
      { stack: cell, layer: 'cell', cell: 'a1' },
    ];
  };

  it('lists a stack that reads another one’s outputs with that dependency, in the manifest and the result', () => {
    const result = writeFlagApp(prepareFlag(flag, org), scratch, withCell);
    const cellStack = 'payments-prod-us-east-1-cell-a1';
    expect(result.stacks.map(({ name, layer, cell, dependsOn }) => ({ name, layer, cell, dependsOn }))).toEqual([
      { name: STACK, layer: 'flag', cell: undefined, dependsOn: [] },
      { name: cellStack, layer: 'cell', cell: 'a1', dependsOn: [STACK] },
    ]);
    const manifest = JSON.parse(readFileSync(path.join(result.outDir, 'manifest.json'), 'utf8'));
    expect(manifest.stacks[cellStack].dependencies).toEqual([STACK]);
  });

  it('refuses a stack without a backend (cdktf would write a local state path of this machine), writing nothing', () => {
    const bare: FlagAppComposer = (app, input) => [
      { stack: new TerraformStack(app, stackName(input.flag, 'flag')), layer: 'flag' },
    ];
    expect(() => writeFlagApp(prepareFlag(flag, org), path.join(scratch, 'out'), bare)).toThrow(
      expect.objectContaining({ constructor: SynthError, code: 'STACK_WITHOUT_BACKEND' }),
    );
    expect(existsSync(path.join(scratch, 'out'))).toBe(false);
  });

  it('reports a FLAG the flag layer cannot build as an InputError, writing nothing', () => {
    const failing: FlagAppComposer = () => {
      throw new FlagLayerError({
        code: 'NACL_RULE_LIMIT',
        file: FLAG_FILE,
        path: 'network',
        message: 'too many rules',
        received: 21,
        expected: 'at most 20',
      });
    };
    expect(() => writeFlagApp(prepareFlag(flag, org), path.join(scratch, 'out'), failing)).toThrow(
      expect.objectContaining({
        constructor: InputError,
        issues: [expect.objectContaining({ code: 'NACL_RULE_LIMIT', file: FLAG_FILE, received: 21 })],
      }),
    );
    expect(existsSync(path.join(scratch, 'out'))).toBe(false);
  });

  it('reports a cell the cell layer cannot build as an InputError, writing nothing', () => {
    const failing: FlagAppComposer = () => {
      throw new CellLayerError({ code: 'CELL_UNKNOWN', file: FLAG_FILE, path: 'cells', message: 'no cell zz' });
    };
    expect(() => writeFlagApp(prepareFlag(flag, org), path.join(scratch, 'out'), failing)).toThrow(
      expect.objectContaining({ constructor: InputError, issues: [expect.objectContaining({ code: 'CELL_UNKNOWN' })] }),
    );
    expect(existsSync(path.join(scratch, 'out'))).toBe(false);
  });

  it('reports a cell the addons layer cannot build as an InputError naming its field, writing nothing', () => {
    const future: Flag = { ...flag, cells: flag.cells.map((cell) => ({ ...cell, kubernetesVersion: '1.99.0' })) };
    expect(() => synthesizeFlag(future, org, path.join(scratch, 'out'))).toThrow(
      expect.objectContaining({
        constructor: InputError,
        issues: [
          expect.objectContaining({
            code: 'KUBERNETES_MINOR_UNPINNED',
            file: FLAG_FILE,
            path: 'cells[0].kubernetesVersion',
          }),
        ],
      }),
    );
    expect(existsSync(path.join(scratch, 'out'))).toBe(false);
  });

  it('refuses a FLAG with cells when org.yaml names no domain, before writing anything', () => {
    const { domain: _domain, ...noDomain } = org;
    expect(() => synthesizeFlag(flag, noDomain, path.join(scratch, 'out'))).toThrow(
      expect.objectContaining({
        constructor: InputError,
        issues: [expect.objectContaining({ code: 'CELL_DOMAIN_MISSING', file: FLAG_FILE })],
      }),
    );
    expect(existsSync(path.join(scratch, 'out'))).toBe(false);
  });

  it('keeps the stack trace of a bug thrown while the App is built, and the stack traces of later errors', () => {
    const buggyLayer: FlagAppComposer = function buggyLayer() {
      throw new TypeError('a layer bug');
    };
    let bug: unknown;
    try {
      writeFlagApp(prepareFlag(flag, org), path.join(scratch, 'out'), buggyLayer);
    } catch (error) {
      bug = error;
    }
    expect(bug).toBeInstanceOf(TypeError);
    expect((bug as Error).stack).toMatch(/^TypeError: a layer bug\n\s+at buggyLayer/);
    expect(new Error('later').stack).toMatch(/^Error: later\n\s+at /);
  });

  it('refuses to run when SYNTH_HCL_OUTPUT=true would make cdktf write HCL instead of cdk.tf.json', () => {
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      expect(() => synthesizeFlag(flag, org, scratch)).toThrow(expect.objectContaining({ code: 'SYNTH_HCL_OUTPUT' }));
    } finally {
      delete process.env.SYNTH_HCL_OUTPUT;
    }
  });
});
