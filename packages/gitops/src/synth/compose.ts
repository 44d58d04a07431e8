import type { App, TerraformStack } from 'cdktf';
import type { NetworkPlan } from '@kitt/allocator';
import type { Flag, OrgConfig } from '@kitt/flag-config';
import { stackName, type Layer } from '@kitt/flag-config';
import { AddonsStack } from '@kitt/addons-layer';
import { CellStack } from '@kitt/cell-layer';
import { FlagStack } from '@kitt/flag-layer';

/** Everything a FLAG's App is built from: validated and planned, nothing left to read. */
export interface FlagAppInput {
  readonly flag: Flag;
  readonly org: OrgConfig;
  readonly plan: NetworkPlan;
}

/** A stack of the App with the layer (and cell) it belongs to. */
export interface ComposedStack {
  readonly stack: TerraformStack;
  readonly layer: Layer;
  readonly cell?: string;
}

/** Adds a FLAG's stacks to its App and says which layer each belongs to. */
export type FlagAppComposer = (app: App, input: FlagAppInput) => ComposedStack[];

/**
 * The stacks of one FLAG, in apply order. The one place that knows which
 * layers a FLAG has: the cell and addons layers add their stacks here
 * (`<flag-id>-cell-<cell>`, `<flag-id>-addons-<cell>`), reading the flag
 * stack's typed outputs.
 */
export const composeFlagApp: FlagAppComposer = (app, { flag, org, plan }) => {
  const flagStack = new FlagStack(app, stackName(flag, 'flag'), { flag, org, plan });
  // Each cell reads the flag stack's outputs: cdktf makes that a remote-state lookup and a dependency in the manifest.
  const cellStacks = flag.cells.map(({ name }) => ({
    name,
    stack: new CellStack(app, stackName(flag, 'cell', name), {
      flag,
      org,
      plan,
      cell: name,
      flagOutputs: flagStack.outputs,
    }),
  }));
  // Each addons stack talks to its cell's API: applied after the cell, destroyed before it.
  const addons = cellStacks.map(({ name, stack: cellStack }): ComposedStack => {
    const stack = new AddonsStack(app, stackName(flag, 'addons', name), {
      flag,
      org,
      plan,
      cell: name,
      cellOutputs: cellStack.outputs,
    });
    stack.addDependency(cellStack);
    return { stack, layer: 'addons', cell: name };
  });
  return [
    { stack: flagStack, layer: 'flag' },
    ...cellStacks.map(({ name, stack }): ComposedStack => ({ stack, layer: 'cell', cell: name })),
    ...addons,
  ];
};
