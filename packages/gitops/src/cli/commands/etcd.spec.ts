import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TempRepo } from '@kitt/flag-config/src/__fixtures__/temp-repo';
import {
  CELL_AWS,
  events,
  healthyCell,
  writeState,
  type StandInState,
} from '../../cluster-access/__fixtures__/cell-aws';
import { runKittIn } from '../__fixtures__/run-kitt';

const FLAG = 'flags/payments/prod/us-east-1';
const KEY = 'etcd/a1/20261202T060000Z.db';
const BUCKET = 'kitt-payments-prod-us-east-1-etcd-111111111111';
const [E0, E1, E2] = ['i-0e000000000000000', 'i-0e000000000000001', 'i-0e000000000000002'];

describe('kitt etcd restore', () => {
  let repo: TempRepo;
  let stateFile: string;
  let logFile: string;
  beforeEach(() => {
    repo = new TempRepo('kitt-etcd-restore-').copyExampleFlags().write({ 'aws-calls.log': '' });
    stateFile = path.join(repo.root, 'aws-state.json');
    logFile = path.join(repo.root, 'aws-calls.log');
  });
  afterEach(() => repo.dispose());

  const restore = (args: readonly string[], state: StandInState = healthyCell()) => {
    writeState(stateFile, state);
    return runKittIn(['etcd', 'restore', ...args], {
      cwd: repo.root,
      env: {
        PATH: process.env.PATH,
        KITT_AWS: CELL_AWS,
        KITT_POLL_MS: '0',
        STAND_IN_AWS_STATE: stateFile,
        STAND_IN_AWS_LOG: logFile,
      },
    });
  };
  const awsCalls = () => readFileSync(logFile, 'utf8').split('\n').filter(Boolean);

  it('prints the ordered steps with --dry-run and asks nothing of AWS', async () => {
    const { code, stdout, stderr } = await restore([FLAG, 'a1', '--snapshot', KEY, '--dry-run']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`from s3://${BUCKET}/${KEY}:`);
    const steps = stdout.split('\n').filter((line) => /^\d+\. /.test(line));
    expect(steps).toEqual([
      '1. stop etcd on etcd-0',
      '2. stop etcd on etcd-1',
      '3. stop etcd on etcd-2',
      `4. download s3://${BUCKET}/${KEY} to etcd-0`,
      `5. download s3://${BUCKET}/${KEY} to etcd-1`,
      `6. download s3://${BUCKET}/${KEY} to etcd-2`,
      "7. move etcd-0's data directory aside",
      "8. move etcd-1's data directory aside",
      "9. move etcd-2's data directory aside",
      '10. restore etcd-0 from the snapshot into a fresh data directory',
      '11. restore etcd-1 from the snapshot into a fresh data directory',
      '12. restore etcd-2 from the snapshot into a fresh data directory',
      '13. start etcd on etcd-0',
      '14. start etcd on etcd-1',
      '15. start etcd on etcd-2',
      '16. wait until all three members are healthy with one leader (repeat until it exits 0) (on etcd-0)',
    ]);
    expect(stdout).toContain(`aws s3 cp --only-show-errors s3://${BUCKET}/${KEY} /var/lib/etcd/restore.db`);
    expect(awsCalls()).toEqual([]);
  });

  it("runs every step in order on its member's instance through SSM Run Command, then waits for health", async () => {
    const { code, stdout, stderr } = await restore([FLAG, 'a1', '--snapshot', KEY], {
      ...healthyCell(),
      // The restored cluster takes a moment to elect a leader.
      instances: healthyCell().instances.map((i) => (i.member === 0 ? { ...i, healthFailuresLeft: 2 } : i)),
    } as StandInState);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(events(logFile, stateFile)).toEqual([
      `systemctl stop ${E0} Success`,
      `systemctl stop ${E1} Success`,
      `systemctl stop ${E2} Success`,
      `s3 cp ${E0} Success`,
      `s3 cp ${E1} Success`,
      `s3 cp ${E2} Success`,
      `mv ${E0} Success`,
      `mv ${E1} Success`,
      `mv ${E2} Success`,
      `etcd-restore.sh ${E0} Success`,
      `etcd-restore.sh ${E1} Success`,
      `etcd-restore.sh ${E2} Success`,
      `systemctl start ${E0} Success`,
      `systemctl start ${E1} Success`,
      `systemctl start ${E2} Success`,
      `health ${E0} Failed`,
      `health ${E0} Failed`,
      `health ${E0} Success`,
    ]);
    expect(stdout).toContain('✓ kitt etcd restore: cell a1 runs on the restored etcd');
  });

  it('stops at the first step that fails, starting no member', async () => {
    const { code, stderr } = await restore([FLAG, 'a1', '--snapshot', KEY], {
      ...healthyCell(),
      failMatching: 'etcd-restore.sh',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('[SSM_COMMAND_FAILED]');
    const happened = events(logFile, stateFile);
    expect(happened.at(-1)).toBe(`etcd-restore.sh ${E0} Failed`);
    expect(happened.filter((event) => event.startsWith('systemctl start'))).toEqual([]);
  });

  it('refuses a snapshot of another cell before any AWS call', async () => {
    const { code, stderr } = await restore([FLAG, 'a1', '--snapshot', 'etcd/b1/20261202T060000Z.db']);
    expect(code).toBe(1);
    expect(stderr).toContain('[ETCD_SNAPSHOT_INVALID]');
    expect(stderr).toContain('etcd/a1/');
    expect(awsCalls()).toEqual([]);
  });

  it('refuses a key that is not a snapshot file', async () => {
    const { code, stderr } = await restore([FLAG, 'a1', '--snapshot', 'etcd/a1/../b1/x.db']);
    expect(code).toBe(1);
    expect(stderr).toContain('[ETCD_SNAPSHOT_INVALID]');
    expect(awsCalls()).toEqual([]);
  });

  it('requires --snapshot', async () => {
    const { code, stderr } = await restore([FLAG, 'a1']);
    expect(code).toBe(2);
    expect(stderr).toContain('--snapshot');
  });
});
