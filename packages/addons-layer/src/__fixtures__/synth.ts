import { Testing } from 'cdktf';
import { planNetwork, type NetworkPlan } from '@kitt/allocator';
import { CellStack } from '@kitt/cell-layer';
import { networkInputOf, stackName, type Flag, type OrgConfig } from '@kitt/flag-config';
import { FlagStack } from '@kitt/flag-layer';
import { AddonsStack } from '../addons-stack';
import type { AddonsStackConfig } from '../config';

export interface TerraformJson {
  readonly terraform: { readonly backend: { readonly s3: Record<string, unknown> } };
  readonly provider: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  readonly variable: Readonly<Record<string, Record<string, unknown>>>;
  readonly resource: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly data: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
}

export interface SynthesizedAddons {
  readonly stack: AddonsStack;
  readonly cellStack: CellStack;
  readonly plan: NetworkPlan;
  readonly json: string;
  readonly tf: TerraformJson;
}

/** Synthesizes the flag, cell and addons stacks of `cell` in one fresh App, as kitt synth composes them. */
export function synthAddons(
  flag: Flag,
  org: OrgConfig,
  cell: string,
  knobs: Partial<AddonsStackConfig> = {},
): SynthesizedAddons {
  const app = Testing.app();
  const plan = planNetwork(networkInputOf(flag));
  const flagStack = new FlagStack(app, stackName(flag, 'flag'), { flag, org, plan });
  const cellStack = new CellStack(app, stackName(flag, 'cell', cell), {
    flag,
    org,
    plan,
    cell,
    flagOutputs: flagStack.outputs,
    renderUserData: () => '#cloud-config\n',
  });
  const stack = new AddonsStack(app, stackName(flag, 'addons', cell), {
    flag,
    org,
    plan,
    cell,
    cellOutputs: cellStack.outputs,
    ...knobs,
  });
  stack.addDependency(cellStack);
  stack.prepareStack();
  const json = Testing.synth(stack);
  return { stack, cellStack, plan, json, tf: JSON.parse(json) as TerraformJson };
}

/** The resources of one type, by name; empty when there are none. */
export function resourcesOf(tf: TerraformJson, type: string): Readonly<Record<string, Record<string, unknown>>> {
  return tf.resource[type] ?? {};
}

/** A Helm release's values, parsed back from the JSON document the stack gave Helm. */
export function releaseValues(tf: TerraformJson, addon: string): Record<string, unknown> {
  const release = resourcesOf(tf, 'helm_release')[`addon-${addon}`];
  if (release === undefined) throw new Error(`no release of ${addon}`);
  const [values] = release.values as string[];
  return JSON.parse(values as string) as Record<string, unknown>;
}

/** Every object the stack hands `kubernetes_manifest`, by construct id. */
export function manifestsOf(tf: TerraformJson): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(resourcesOf(tf, 'kubernetes_manifest')).map(([id, resource]) => [
      id,
      resource.manifest as Record<string, unknown>,
    ]),
  );
}
