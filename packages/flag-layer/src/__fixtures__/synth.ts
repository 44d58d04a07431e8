import { Testing } from 'cdktf';
import type { Flag, OrgConfig } from '@kitt/flag-config';
import { FlagStack } from '../flag-stack';
import type { FlagStackConfig } from '../config';
import { stackName } from '@kitt/flag-config';
import { org as defaultOrg, planOf } from './examples';

/** The synthesized stack: `json` for cdktf's matchers, `tf` to read it directly. */
export interface SynthesizedFlag {
  readonly stack: FlagStack;
  readonly json: string;
  readonly tf: TerraformJson;
}

export interface TerraformJson {
  readonly terraform: { readonly backend: { readonly s3: Record<string, unknown> } };
  readonly provider: { readonly aws: readonly Record<string, unknown>[] };
  readonly resource: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly output: Readonly<Record<string, { readonly value: unknown }>>;
}

export function flagConfig(flag: Flag, org: OrgConfig = defaultOrg, knobs: Partial<FlagStackConfig> = {}): FlagStackConfig {
  return { flag, org, plan: planOf(flag), ...knobs };
}

/** Synthesizes the flag stack of `flag` in a fresh testing App. */
export function synthFlag(config: FlagStackConfig): SynthesizedFlag {
  const stack = new FlagStack(Testing.app(), stackName(config.flag, 'flag'), config);
  const json = Testing.synth(stack);
  return { stack, json, tf: JSON.parse(json) as TerraformJson };
}

/** The resources of one type, by name; empty when there are none. */
export function resourcesOf(tf: TerraformJson, type: string): Readonly<Record<string, Record<string, unknown>>> {
  return tf.resource[type] ?? {};
}

/** `type.name` of every resource and data source: the Terraform addresses. */
export function addressesOf(tf: TerraformJson): string[] {
  const resources = Object.entries(tf.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
  const data = Object.entries(tf.data ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`));
  return [...resources, ...data].sort();
}
