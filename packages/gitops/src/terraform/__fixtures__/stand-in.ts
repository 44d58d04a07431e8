/** Test helpers around the stand-in `terraform` executable (`bin/terraform`) and the synthesized fixture FLAG. */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';

export const FIXTURES = __dirname;
/** Directory holding the stand-in: put it first on `PATH`, or name `STAND_IN_TERRAFORM` in `KITT_TERRAFORM`. */
export const STAND_IN_BIN = join(FIXTURES, 'bin');
export const STAND_IN_TERRAFORM = join(STAND_IN_BIN, 'terraform');
export const DEMO_FLAG = 'demo-prod-us-east-1';
export const DEMO_STACKS = {
  flag: `${DEMO_FLAG}-flag`,
  cell: `${DEMO_FLAG}-cell-a1`,
  addons: `${DEMO_FLAG}-addons-a1`,
} as const;

/** How the stand-in answers for one stack directory. */
export interface StackScenario {
  /** Exit code of `init`. @default 0 */
  readonly init?: number;
  /** Exit code of `plan -detailed-exitcode`: 0 no changes, 1 error, 2 changes. */
  readonly plan: 0 | 1 | 2;
  /** Fixture under `plans/` printed by `show -json`. */
  readonly planJson?: string;
  /** What a failing step prints on stderr. */
  readonly stderr?: string;
  /** What `plan` prints on stdout before it ends (as it would, fails or not). @default nothing extra */
  readonly planStdout?: string;
  /** How `show -json` misbehaves. @default it prints the plan JSON and exits 0 */
  readonly show?: ShowScenario;
}

/** `show -json` printing something besides the JSON, cut short, failing, or killed. */
export interface ShowScenario {
  /** Printed on stdout right after the JSON (a warning line). */
  readonly after?: string;
  /** Only the first `cutAt` characters of the JSON are printed. */
  readonly cutAt?: number;
  /** Exit code. @default 0 */
  readonly exit?: number;
  /** Killed by this signal after printing (e.g. `SIGKILL`, as a timeout would). */
  readonly signal?: NodeJS.Signals;
  /** Printed on stderr. */
  readonly stderr?: string;
}

/** One recorded call of the stand-in. */
export interface StandInCall {
  readonly cwd: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A temporary workspace: a copy of the synthesized demo FLAG, a scenario file and a call log. */
export interface StandInWorkspace {
  readonly root: string;
  /** `<root>/cdktf.out`, holding `<flag-id>/manifest.json` and `stacks/`. */
  readonly synthOut: string;
  /** `<root>/out/plans` */
  readonly planOut: string;
  /** Environment for the runner: automation variables and the stand-in's files. */
  readonly env: Record<string, string | undefined>;
  scenario(byStack: Readonly<Record<string, StackScenario>>): void;
  calls(): StandInCall[];
}

/** The workspace with the synthesized demo FLAG copied into `cdktf.out`. */
export function standInWorkspace(): StandInWorkspace {
  const ws = emptyWorkspace();
  cpSync(join(FIXTURES, 'synth'), ws.synthOut, { recursive: true });
  return ws;
}

/** A FLAG of a temporary repository, to synthesize for real: `flags/payments/dev/eu-west-2` (stacks `payments-dev-eu-west-2-*`). */
export const REPO_FLAG = { dir: 'flags/payments/dev/eu-west-2', id: 'payments-dev-eu-west-2' } as const;

/** The workspace as a repository: `flags/org.yaml` and one FLAG, nothing synthesized yet. */
export function standInRepo(): StandInWorkspace {
  const repo = new TempRepo('kitt-plan-').write({
    'flags/org.yaml': readFileSync(join(FIXTURES, 'repo', 'org.yaml'), 'utf8'),
    [`${REPO_FLAG.dir}/flag.yaml`]: readFileSync(join(FIXTURES, 'repo', `${REPO_FLAG.id}.flag.yaml`), 'utf8'),
  });
  return emptyWorkspace(repo);
}

function emptyWorkspace(repo = new TempRepo('kitt-plan-')): StandInWorkspace {
  const root = repo.root;
  const synthOut = join(root, 'cdktf.out');
  const scenarioFile = join(root, 'scenario.json');
  const log = join(root, 'terraform-calls.jsonl');
  return {
    root,
    synthOut,
    planOut: join(root, 'out', 'plans'),
    env: {
      PATH: `${STAND_IN_BIN}${delimiter}${process.env.PATH ?? ''}`,
      HOME: process.env.HOME,
      CHECKPOINT_DISABLE: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
      TF_IN_AUTOMATION: '1',
      FAKE_TERRAFORM_SCENARIO: scenarioFile,
      FAKE_TERRAFORM_LOG: log,
    },
    scenario(byStack) {
      const resolved = Object.fromEntries(
        Object.entries(byStack).map(([stack, s]) => [stack, { ...s, ...(s.planJson ? { planJson: join(FIXTURES, 'plans', s.planJson) } : {}) }]),
      );
      writeFileSync(scenarioFile, JSON.stringify(resolved));
    },
    calls() {
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as StandInCall);
    },
  };
}
