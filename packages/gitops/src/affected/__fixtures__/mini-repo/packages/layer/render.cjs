// The stand-in layer package: the stacks of a FLAG and what each holds.
// LAYER_VERSION lands in cdktf-style `//` metadata, which Terraform ignores.
const LAYER_VERSION = 'layer-1';
const ADDONS = ['ingress'];

function withMetadata(stack, resources) {
  return { '//': { metadata: { stackName: stack, version: LAYER_VERSION } }, resource: { terraform_data: resources } };
}

function stacksOf(id, flag) {
  const flagStack = `${id}-flag`;
  const stacks = [
    { name: flagStack, dependencies: [], config: withMetadata(flagStack, { vpc: { input: flag.network.vpcCidr } }) },
  ];
  for (const cell of flag.cells ?? []) {
    const cellStack = `${id}-cell-${cell.name}`;
    const addonsStack = `${id}-addons-${cell.name}`;
    stacks.push({ name: cellStack, dependencies: [flagStack], config: withMetadata(cellStack, { nodes: { input: cell.nodes } }) });
    stacks.push({ name: addonsStack, dependencies: [cellStack], config: withMetadata(addonsStack, { addons: { input: ADDONS } }) });
  }
  return stacks;
}

module.exports = { stacksOf };
