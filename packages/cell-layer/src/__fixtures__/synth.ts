import { Testing } from 'cdktf';
import { planNetwork, type NetworkPlan } from '@kitt/allocator';
import { networkInputOf, stackName, type Flag, type OrgConfig } from '@kitt/flag-config';
import { FlagStack } from '@kitt/flag-layer';
import type { CellBootstrapConfig, NodeRole, UserDataRenderer } from '../bootstrap-contract';
import { CellStack } from '../cell-stack';
import type { CellStackConfig } from '../config';

/** A call of the user data renderer, as the stack made it. */
export interface RenderCall {
  readonly role: NodeRole;
  readonly config: CellBootstrapConfig;
  readonly etcdMemberIndex?: number;
}

/** A renderer that records its calls and renders a small, recognisable document per node. */
export function recordingRenderer(): { readonly render: UserDataRenderer; readonly calls: RenderCall[] } {
  const calls: RenderCall[] = [];
  const render: UserDataRenderer = (role, config, etcdMemberIndex) => {
    calls.push({ role, config, ...(etcdMemberIndex === undefined ? {} : { etcdMemberIndex }) });
    return `#cloud-config\n# ${role}${etcdMemberIndex === undefined ? '' : ` ${etcdMemberIndex}`} of ${config.clusterName}\n`;
  };
  return { render, calls };
}

export interface TerraformJson {
  readonly terraform: { readonly backend: { readonly s3: Record<string, unknown> } };
  readonly provider: { readonly aws: readonly Record<string, unknown>[] };
  readonly resource: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;
  readonly output: Readonly<Record<string, { readonly value: unknown }>>;
}

export interface SynthesizedCell {
  readonly stack: CellStack;
  readonly flagStack: FlagStack;
  readonly plan: NetworkPlan;
  readonly json: string;
  readonly tf: TerraformJson;
  readonly calls: readonly RenderCall[];
}

/** Synthesizes the flag stack and the stack of `cell` in one fresh App, as kitt synth composes them. */
export function synthCell(
  flag: Flag,
  org: OrgConfig,
  cell: string,
  knobs: Partial<CellStackConfig> = {},
): SynthesizedCell {
  const app = Testing.app();
  const plan = planNetwork(networkInputOf(flag));
  const flagStack = new FlagStack(app, stackName(flag, 'flag'), { flag, org, plan });
  const { render, calls } = recordingRenderer();
  const stack = new CellStack(app, stackName(flag, 'cell', cell), {
    flag,
    org,
    plan,
    cell,
    flagOutputs: flagStack.outputs,
    renderUserData: render,
    ...knobs,
  });
  // What app.synth() does first: resolving cross-stack references adds the remote-state lookups.
  flagStack.prepareStack();
  stack.prepareStack();
  const json = Testing.synth(stack);
  return { stack, flagStack, plan, json, tf: JSON.parse(json) as TerraformJson, calls };
}

/** The resources of one type, by name; empty when there are none. */
export function resourcesOf(tf: TerraformJson, type: string): Readonly<Record<string, Record<string, unknown>>> {
  return tf.resource[type] ?? {};
}
