import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkRepository } from './check';
import { listFlagFiles, loadAllFlags, loadFlag, loadOrg } from './index';

/** The example FLAGs and org.yaml of this repository. */
const REPO_ROOT = path.resolve(__dirname, '../../..');

describe('the example FLAGs in flags/', () => {
  it('are the three examples, listed in path order', () => {
    expect(listFlagFiles(REPO_ROOT)).toEqual([
      'flags/payments/dev/eu-west-2/flag.yaml',
      'flags/payments/prod/us-east-1/flag.yaml',
      'flags/search/prod/us-west-2/flag.yaml',
    ]);
  });

  it('pass kitt check, cross-FLAG rules included', () => {
    const { flags, issues } = checkRepository(REPO_ROOT);
    expect(issues).toEqual([]);
    expect(
      flags.map((flag) => `${flag.id} ${flag.topology} ${flag.network.zones.length} zones ${flag.cells.length} cells`),
    ).toEqual([
      'payments-dev-eu-west-2 single-az 2 zones 1 cells',
      'payments-prod-us-east-1 single-az 3 zones 3 cells',
      'search-prod-us-west-2 multi-az 3 zones 1 cells',
    ]);
  });

  it('load one by one from their directories', () => {
    expect(loadFlag(REPO_ROOT, 'flags/search/prod/us-west-2').id).toBe('search-prod-us-west-2');
    expect(loadAllFlags(REPO_ROOT).flags).toHaveLength(3);
  });

  it('have an org.yaml with the example state bucket, its account, the repository and a role pair per example account', () => {
    const org = loadOrg(REPO_ROOT);
    expect(org.state).toEqual({ bucket: 'kitt-tfstate-example', region: 'us-east-1', accountId: '111111111111' });
    expect(org.github).toEqual({ repository: 'example-org/platform-flags' });
    const accounts = loadAllFlags(REPO_ROOT).flags.map((flag) => flag.aws.accountId);
    for (const account of accounts) expect(org.accounts[account]).toBeDefined();
  });

  it('each point editors at the JSON Schema', () => {
    for (const file of listFlagFiles(REPO_ROOT)) {
      const [first = ''] = readFileSync(path.join(REPO_ROOT, file), 'utf8').split('\n');
      expect(first).toBe('# yaml-language-server: $schema=../../../../packages/flag-config/schema/flag.schema.json');
    }
  });
});
