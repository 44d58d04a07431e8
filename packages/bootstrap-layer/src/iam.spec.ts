import { runSimulation } from '@cloud-copilot/iam-simulate';
import { STATE_ACCOUNT, policyOf, resourcesOf, synthBootstrap } from './__fixtures__/synth';

/**
 * The trust and the plan role's limits, proved with an offline IAM simulator on the policies as synthesized.
 *
 * The simulator knows no `token.actions.githubusercontent.com:sub` / `:aud` (AWS evaluates them for any OIDC
 * provider, the simulator only for the providers in its data) and drops them as unknown. The trust is
 * therefore evaluated under the keys of a provider it knows, `accounts.google.com:sub` / `:aud`: same
 * operators, same patterns, same request values, so the same decision.
 */

const ACCOUNT = STATE_ACCOUNT;
const REPO = 'example-org/platform-flags';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const PLAN_ROLE = `arn:aws:iam::${ACCOUNT}:role/kitt-plan`;
const APPLY_ROLE = `arn:aws:iam::${ACCOUNT}:role/kitt-apply`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/kitt-plan/kitt-plan-123-1`;

type Policy = Record<string, unknown>;
const { tf } = synthBootstrap({ accountId: ACCOUNT });
const roles = resourcesOf(tf, 'aws_iam_role');
const standIn = (policy: Policy): Policy =>
  JSON.parse(
    JSON.stringify(policy).replaceAll('token.actions.githubusercontent.com:', 'accounts.google.com:'),
  ) as Policy;
const trustOf = {
  plan: standIn(policyOf(roles['role-plan'], 'assume_role_policy')),
  apply: standIn(policyOf(roles['role-apply'], 'assume_role_policy')),
};

async function simulate(request: {
  principal: string;
  action: string;
  resource: string;
  identityPolicies?: { name: string; policy: Policy }[];
  resourcePolicy?: Policy;
  context?: Record<string, string | string[]>;
}): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: request.context ?? {},
      },
      identityPolicies: request.identityPolicies ?? [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy === undefined ? {} : { resourcePolicy: request.resourcePolicy }),
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(JSON.stringify(result.errors, null, 2));
  return result.overallResult;
}

/** Whether a GitHub token with this (customized) subject may assume the role. */
async function canAssume(role: 'plan' | 'apply', sub: string, aud = 'sts.amazonaws.com'): Promise<boolean> {
  const decision = await simulate({
    principal: PROVIDER,
    action: 'sts:AssumeRoleWithWebIdentity',
    resource: role === 'plan' ? PLAN_ROLE : APPLY_ROLE,
    resourcePolicy: trustOf[role],
    context: { 'accounts.google.com:sub': sub, 'accounts.google.com:aud': aud },
  });
  return decision === 'Allowed';
}

/** `repo:<repo>:<context>:job_workflow_ref:<repo>/.github/workflows/<file>@<ref>`, as GitHub makes it. */
const subject = (context: string, workflow: string, ref: string, repo = REPO) =>
  `repo:${repo}:${context}:job_workflow_ref:${repo}/.github/workflows/${workflow}@${ref}`;

describe('who may assume the roles (trust, simulated)', () => {
  const prPlan = subject('pull_request', 'plan.yml', 'refs/pull/42/merge');

  it('lets a pull_request run of plan.yml assume the plan role and not the apply role', async () => {
    expect(await canAssume('plan', prPlan)).toBe(true);
    expect(await canAssume('apply', prPlan)).toBe(false);
  });

  it('lets drift.yml on main assume the plan role and not the apply role', async () => {
    const drift = subject('ref:refs/heads/main', 'drift.yml', 'refs/heads/main');
    expect(await canAssume('plan', drift)).toBe(true);
    expect(await canAssume('apply', drift)).toBe(false);
  });

  it('lets apply.yml on main in an Environment of org.yaml assume the apply role and not the plan role', async () => {
    const apply = subject('environment:production', 'apply.yml', 'refs/heads/main');
    expect(await canAssume('apply', apply)).toBe(true);
    expect(await canAssume('plan', apply)).toBe(false);
  });

  it.each([
    ['a pull request run of another (edited) workflow', subject('pull_request', 'evil.yml', 'refs/pull/42/merge')],
    ['a pull request run of apply.yml', subject('pull_request', 'apply.yml', 'refs/pull/42/merge')],
    ['a pull request job in an Environment', subject('environment:production', 'plan.yml', 'refs/pull/42/merge')],
    ['apply.yml on another branch', subject('environment:production', 'apply.yml', 'refs/heads/feature')],
    ['drift.yml on another branch', subject('ref:refs/heads/feature', 'drift.yml', 'refs/heads/feature')],
    ['plan.yml pushed on another branch', subject('ref:refs/heads/feature', 'plan.yml', 'refs/heads/feature')],
    [
      'apply.yml on main in an Environment org.yaml lacks',
      subject('environment:sandbox', 'apply.yml', 'refs/heads/main'),
    ],
    ['another repository', subject('pull_request', 'plan.yml', 'refs/pull/42/merge', 'example-org/other')],
    [
      'a fork of the same name elsewhere',
      subject('environment:production', 'apply.yml', 'refs/heads/main', 'attacker/platform-flags'),
    ],
    ['the default, uncustomized subject', `repo:${REPO}:pull_request`],
  ])('lets %s assume neither role', async (_, sub) => {
    expect(await canAssume('plan', sub)).toBe(false);
    expect(await canAssume('apply', sub)).toBe(false);
  });

  it('refuses a token minted for another audience', async () => {
    expect(await canAssume('plan', prPlan, 'https://github.com/example-org')).toBe(false);
  });
});

describe('what the plan role may do (its limits over a read-only grant, simulated)', () => {
  /**
   * A stand-in for ReadOnlyAccess that grants more than it does (every Get and List, kms:Decrypt, even
   * S3 writes): whatever it allows that the role must not do, only the role's own denies can refuse.
   */
  const broadRead = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ssm:GetParameter*', 's3:Get*', 's3:List*', 's3:PutObject', 's3:DeleteObject', 'kms:Decrypt'],
        Resource: '*',
      },
    ],
  };
  const limits = policyOf(resourcesOf(tf, 'aws_iam_role_policy')['role-plan-limits'], 'policy');
  const identityPolicies = [
    { name: 'ReadOnlyAccess (broader stand-in)', policy: broadRead },
    { name: 'kitt-plan-limits', policy: limits },
  ];
  const asPlanRole = (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
    simulate({ principal: SESSION, action, resource, identityPolicies, context });
  const parameter = (name: string) => `arn:aws:ssm:us-west-2:${ACCOUNT}:parameter${name}`;

  it.each([
    ['ssm:GetParameter', parameter('/kitt/search-prod-us-west-2/m1/pki/ca.key')],
    ['ssm:GetParameters', parameter('/kitt/search-prod-us-west-2/m1/join/token')],
    ['ssm:GetParameterHistory', parameter('/kitt/search-prod-us-west-2/m1/pki/etcd/ca.key')],
    ['ssm:GetParametersByPath', parameter('/kitt')],
  ])('cannot read kitt parameters: %s %s', async (action, resource) => {
    expect(await asPlanRole(action, resource)).toBe('ExplicitlyDenied');
  });

  it('still reads parameters outside /kitt (the AMI a launch template resolves)', async () => {
    expect(await asPlanRole('ssm:GetParameter', parameter('/aws/service/debian/release/12/latest/amd64'))).toBe(
      'Allowed',
    );
  });

  it("cannot decrypt with a cell's key, and can with a key that is not kitt's", async () => {
    const key = `arn:aws:kms:us-west-2:${ACCOUNT}:key/0f9e8d7c-1111-2222-3333-444455556666`;
    // KMS needs its key policy to allow too: AWS's default one, which defers to IAM.
    const defaultKeyPolicy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      ],
    };
    const decrypt = (aliases: string[]) =>
      simulate({
        principal: SESSION,
        action: 'kms:Decrypt',
        resource: key,
        identityPolicies,
        resourcePolicy: defaultKeyPolicy,
        context: { 'kms:ResourceAliases': aliases },
      });
    expect(await decrypt(['alias/kitt-search-prod-us-west-2-m1'])).toBe('ExplicitlyDenied');
    expect(await decrypt(['alias/kitt-search-prod-us-west-2-etcd-snapshots'])).toBe('ExplicitlyDenied');
    expect(await decrypt(['alias/team-data'])).toBe('Allowed');
  });

  it('cannot read etcd snapshots, and reads the Terraform state', async () => {
    const snapshot = `arn:aws:s3:::kitt-search-prod-us-west-2-etcd-${ACCOUNT}/etcd/m1/2026-01-01T00-00-00Z.db`;
    expect(await asPlanRole('s3:GetObject', snapshot)).toBe('ExplicitlyDenied');
    expect(await asPlanRole('s3:GetObjectVersion', snapshot)).toBe('ExplicitlyDenied');
    const state = 'arn:aws:s3:::kitt-tfstate-example/flags/search/prod/us-west-2/cell-m1.tfstate';
    expect(await asPlanRole('s3:GetObject', state)).toBe('Allowed');
  });

  it('cannot write or delete state or lock files: plans run with -lock=false', async () => {
    const lock = 'arn:aws:s3:::kitt-tfstate-example/flags/search/prod/us-west-2/cell-m1.tfstate.tflock';
    expect(await asPlanRole('s3:PutObject', lock)).toBe('ExplicitlyDenied');
    expect(await asPlanRole('s3:DeleteObject', lock)).toBe('ExplicitlyDenied');
  });

  describe('tunnel sessions', () => {
    const instance = `arn:aws:ec2:us-west-2:${ACCOUNT}:instance/i-0123456789abcdef0`;
    // AWS's documents have no account in their ARN, but the simulator needs one to know the resource type.
    const document = (name: string) => `arn:aws:ssm:us-west-2:${ACCOUNT}:document/${name}`;
    const session = (resource: string, context: Record<string, string>) =>
      simulate({
        principal: SESSION,
        action: 'ssm:StartSession',
        resource,
        identityPolicies: [{ name: 'kitt-plan-limits', policy: limits }],
        context: { 'ssm:SessionDocumentAccessCheck': 'true', ...context },
      });

    it('may start a session on a control-plane instance with the port-forwarding document', async () => {
      expect(await session(instance, { 'ssm:resourceTag/kitt:node-role': 'control-plane' })).toBe('Allowed');
      expect(await session(document('AWS-StartPortForwardingSession'), {})).toBe('Allowed');
    });

    it('may not start one on an etcd member or a worker, nor with a shell document', async () => {
      expect(await session(instance, { 'ssm:resourceTag/kitt:node-role': 'etcd' })).toBe('ImplicitlyDenied');
      expect(await session(instance, { 'ssm:resourceTag/kitt:node-role': 'worker' })).toBe('ImplicitlyDenied');
      expect(await session(document('SSM-SessionManagerRunShell'), {})).toBe('ImplicitlyDenied');
      expect(await session(document('AWS-StartInteractiveCommand'), {})).toBe('ImplicitlyDenied');
    });
  });
});

describe('the state bucket policy (simulated)', () => {
  const policy = policyOf(resourcesOf(tf, 'aws_s3_bucket_policy')['state-bucket-policy'], 'policy');
  const object = 'arn:aws:s3:::kitt-tfstate-example/flags/search/prod/us-west-2/flag.tfstate';
  /** Another account's role, whose own policies allow everything: only the bucket policy can refuse. */
  const fromAccount = (roleArn: string, action: string, secure = 'true', resource = object) => {
    const [, , , , account = '', role = ''] = roleArn.split(':');
    return simulate({
      principal: `arn:aws:sts::${account}:assumed-role/${role.split('/').pop() ?? ''}/session`,
      action,
      resource,
      identityPolicies: [
        {
          name: 'everything',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        },
      ],
      resourcePolicy: policy,
      context: { 'aws:SecureTransport': secure, 'aws:PrincipalArn': roleArn },
    });
  };
  const otherPlan = 'arn:aws:iam::222222222222:role/ci/kitt-plan';
  const otherApply = 'arn:aws:iam::222222222222:role/ci/kitt-apply';

  it("lets another listed account's apply role write state, and its plan role only read", async () => {
    expect(await fromAccount(otherApply, 's3:PutObject')).toBe('Allowed');
    expect(await fromAccount(otherPlan, 's3:GetObject')).toBe('Allowed');
    expect(await fromAccount(otherPlan, 's3:PutObject')).toBe('ImplicitlyDenied');
  });

  it("lets apply roles delete lock files only, and no role read outside the stacks' state", async () => {
    expect(await fromAccount(otherApply, 's3:DeleteObject', 'true', `${object}.tflock`)).toBe('Allowed');
    expect(await fromAccount(otherApply, 's3:DeleteObject')).toBe('ImplicitlyDenied');
    const bootstrapState = 'arn:aws:s3:::kitt-tfstate-example/bootstrap/111111111111.tfstate';
    expect(await fromAccount(otherApply, 's3:GetObject', 'true', bootstrapState)).toBe('ImplicitlyDenied');
    expect(await fromAccount(otherPlan, 's3:ListBucket', 'true', 'arn:aws:s3:::kitt-tfstate-example')).toBe('Allowed');
  });

  it('grants nothing to a role org.yaml does not list', async () => {
    expect(await fromAccount('arn:aws:iam::444444444444:role/kitt-apply', 's3:GetObject')).toBe('ImplicitlyDenied');
  });

  it('refuses every request without TLS', async () => {
    expect(await fromAccount(otherApply, 's3:GetObject', 'false')).toBe('ExplicitlyDenied');
  });
});
