import { Testing } from 'cdktf';
import { parseOrg, type OrgConfig } from '@kitt/flag-config';
import { BootstrapStack } from '../bootstrap-stack';
import type { BootstrapStackConfig } from '../config';

/** An org.yaml with a state account (111…) and another account (222…), two Environments. */
export const ORG_TEXT = `state:
  bucket: kitt-tfstate-example
  region: us-east-1
  accountId: "111111111111"
github:
  repository: example-org/platform-flags
accounts:
  "111111111111":
    planRoleArn: arn:aws:iam::111111111111:role/kitt-plan
    applyRoleArn: arn:aws:iam::111111111111:role/kitt-apply
  "222222222222":
    planRoleArn: arn:aws:iam::222222222222:role/ci/kitt-plan
    applyRoleArn: arn:aws:iam::222222222222:role/ci/kitt-apply
environments:
  prod: production
  dev: development
`;

export const org: OrgConfig = parseOrg(ORG_TEXT);
export const STATE_ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '222222222222';
export const REPOSITORY = 'example-org/platform-flags';

export interface TerraformJson {
  readonly terraform: { readonly backend: Readonly<Record<string, Record<string, unknown>>> };
  readonly provider: { readonly aws: readonly Record<string, unknown>[] };
  readonly resource: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly output: Readonly<Record<string, { readonly value: unknown }>>;
}

/** The bootstrap stack of one account, synthesized in a fresh App. */
export function synthBootstrap(config: Partial<BootstrapStackConfig> & { accountId: string }): {
  readonly stack: BootstrapStack;
  readonly tf: TerraformJson;
} {
  const app = Testing.app();
  const stack = new BootstrapStack(app, { org, ...config });
  return { stack, tf: JSON.parse(Testing.synth(stack)) as TerraformJson };
}

/** Resources of one type, by construct id. */
export function resourcesOf(tf: TerraformJson, type: string): Readonly<Record<string, Record<string, unknown>>> {
  return tf.resource[type] ?? {};
}

/** A policy attribute as AWS receives it. */
export function policyOf(resource: Record<string, unknown> | undefined, key: string): Record<string, unknown> {
  if (resource === undefined) throw new Error('fixture: no such resource');
  return JSON.parse(String(resource[key])) as Record<string, unknown>;
}
