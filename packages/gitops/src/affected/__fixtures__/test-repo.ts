import { join, resolve } from 'node:path';
import { FLAG_FILE_NAME, flagDir } from '@kitt/flag-config';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';

/** The workspace's installed dependencies (for `yaml` in the stand-in `kitt synth`). */
const NODE_MODULES = resolve(__dirname, '../../../../../node_modules');

export interface TestFlag {
  readonly customer: string;
  readonly environment?: string;
  readonly region?: string;
  readonly accountId?: string;
  readonly vpcCidr?: string;
  /** Cell name → node count (the stand-in layer puts it in the cell stack). */
  readonly cells?: Readonly<Record<string, number>>;
}

/**
 * A real git repository in a temporary directory (the shared `TempRepo`):
 * the stand-in `kitt synth` (`mini-repo/`), `node_modules` linked from the
 * workspace, and FLAG files written and committed by the test.
 */
export class TestRepo extends TempRepo {
  static create(): TestRepo {
    const repo = new TestRepo('kitt-affected-repo-');
    repo
      .copyIn(join(__dirname, 'mini-repo'))
      .link(NODE_MODULES, 'node_modules')
      .write({ '.gitignore': 'node_modules\n' })
      .gitInit();
    return repo;
  }

  /** Writes `flags/<customer>/<environment>/<region>/flag.yaml`; returns the FLAG directory. */
  writeFlag(flag: TestFlag): string {
    const dir = flagDir({
      customer: flag.customer,
      environment: flag.environment ?? 'prod',
      region: flag.region ?? 'us-east-1',
    });
    const cells = Object.entries(flag.cells ?? { a1: 3 })
      .map(([name, nodes]) => `  - name: ${name}\n    nodes: ${nodes}\n`)
      .join('');
    this.write({
      [`${dir}/${FLAG_FILE_NAME}`]: [
        `customer: ${flag.customer}`,
        `environment: ${flag.environment ?? 'prod'}`,
        `region: ${flag.region ?? 'us-east-1'}`,
        'aws:',
        `  accountId: "${flag.accountId ?? '111111111111'}"`,
        'network:',
        `  vpcCidr: ${flag.vpcCidr ?? '10.1.0.0/16'}`,
        `cells:\n${cells}`,
      ].join('\n'),
    });
    return dir;
  }
}
