import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { standInRepo, type StandInWorkspace } from '../terraform/__fixtures__/stand-in';
import { readApplyMatrix, readFlagApplyMatrix } from './apply-matrix';

let ws: StandInWorkspace;
beforeEach(() => {
  ws = standInRepo();
});
afterEach(() => rmSync(ws.root, { recursive: true, force: true }));

const stack = (flag: string, flagDir: string, accountId: string, name: string) => ({
  flag,
  flagDir,
  stack: `${flag}-${name}`,
  layer: name === 'flag' ? 'flag' : 'cell',
  dependsOn: [],
  reason: 'config-changed',
  accountId,
});

it('gives one job per FLAG with its apply role and the GitHub Environment org.yaml names', () => {
  writeFileSync(
    join(ws.root, 'affected.json'),
    JSON.stringify({
      base: 'a'.repeat(40),
      stacks: [
        stack('payments-dev-eu-west-2', 'flags/payments/dev/eu-west-2', '222222222222', 'flag'),
        stack('payments-dev-eu-west-2', 'flags/payments/dev/eu-west-2', '222222222222', 'cell-a1'),
        stack('ads-qa-us-east-1', 'flags/ads/qa/us-east-1', '999999999999', 'flag'),
      ],
    }),
  );
  expect(readApplyMatrix(ws.root, 'affected.json')).toEqual({
    include: [
      {
        name: 'ads-qa-us-east-1',
        flagDir: 'flags/ads/qa/us-east-1',
        accountId: '999999999999',
        applyRoleArn: '', // org.yaml names none: the job stops saying so
        awsRegion: 'us-east-1',
        environment: 'qa', // no entry in environments: the environment's own name
      },
      {
        name: 'payments-dev-eu-west-2',
        flagDir: 'flags/payments/dev/eu-west-2',
        accountId: '222222222222',
        applyRoleArn: 'arn:aws:iam::222222222222:role/kitt-apply',
        awsRegion: 'eu-west-2',
        environment: 'development',
      },
    ],
  });
});

it('refuses a file that is not kitt affected output, naming it', () => {
  writeFileSync(join(ws.root, 'affected.json'), '{"stacks": 3}');
  expect(() => readApplyMatrix(ws.root, 'affected.json')).toThrow(/affected\.json/);
  writeFileSync(join(ws.root, 'affected.json'), 'not json');
  expect(() => readApplyMatrix(ws.root, 'affected.json')).toThrow(/cannot read it as JSON/);
});

it('gives the job of one FLAG from its flag.yaml, for a run started by hand', () => {
  expect(readFlagApplyMatrix(ws.root, 'flags/payments/dev/eu-west-2')).toEqual({
    include: [
      {
        name: 'payments-dev-eu-west-2',
        flagDir: 'flags/payments/dev/eu-west-2',
        accountId: '222222222222',
        applyRoleArn: 'arn:aws:iam::222222222222:role/kitt-apply',
        awsRegion: 'eu-west-2',
        environment: 'development',
      },
    ],
  });
  expect(() => readFlagApplyMatrix(ws.root, 'flags/payments/dev/us-east-1')).toThrow(/flag\.yaml/);
});
