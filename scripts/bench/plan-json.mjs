// A large `terraform show -json` document (format 1.2, as Terraform 1.11 writes
// it) for the render benchmark: creates, in-place updates and deletes of
// realistic AWS resources, with unknown and sensitive values. Deterministic.

const TYPES = [
  {
    type: 'aws_subnet',
    attributes: (n) => ({
      cidr_block: `10.${n % 256}.${(n >> 8) % 256}.0/24`,
      availability_zone: `us-east-1${'abc'[n % 3]}`,
      map_public_ip_on_launch: false,
    }),
  },
  {
    type: 'aws_route_table_association',
    attributes: (n) => ({ subnet_id: `subnet-${hex(n)}`, route_table_id: `rtb-${hex(n + 7)}` }),
  },
  {
    type: 'aws_security_group',
    attributes: (n) => ({ name: `sg-${n}`, description: 'Cell workers', revoke_rules_on_delete: false }),
  },
  {
    type: 'aws_iam_role',
    attributes: (n) => ({
      name: `kitt-node-${n}`,
      assume_role_policy: '{"Version":"2012-10-17","Statement":[]}',
      max_session_duration: 3600,
    }),
  },
  {
    type: 'aws_ssm_parameter',
    attributes: (n) => ({ name: `/kitt/cell/${n}/token`, type: 'SecureString', value: `secret-${n}` }),
    sensitive: ['value'],
  },
];

/** The plan of `count` resource changes: about 70 % create, 20 % update, 10 % delete. */
export function generatedPlan(count) {
  const resourceChanges = [];
  for (let n = 0; n < count; n += 1) resourceChanges.push(resourceChange(n));
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: resourceChanges,
    output_changes: {
      vpc_id: {
        actions: ['create'],
        before: null,
        after: null,
        after_unknown: true,
        before_sensitive: false,
        after_sensitive: false,
      },
    },
    errored: false,
    complete: true,
    applyable: true,
  };
}

function resourceChange(n) {
  // The type varies by tens, the action within them, so every type gets every action.
  const kind = TYPES[Math.floor(n / 10) % TYPES.length];
  const action = n % 10 < 7 ? 'create' : n % 10 < 9 ? 'update' : 'delete';
  const current = {
    id: `${kind.type.replace('aws_', '')}-${hex(n)}`,
    ...kind.attributes(n),
    tags: { kitt: 'bench', index: String(n) },
  };
  const sensitive = Object.fromEntries((kind.sensitive ?? []).map((name) => [name, true]));
  const change = {
    create: { before: null, after: { ...current, id: undefined }, after_unknown: { id: true, arn: true } },
    update: { before: current, after: { ...current, tags: { ...current.tags, revision: '2' } }, after_unknown: {} },
    delete: { before: current, after: null, after_unknown: false },
  }[action];
  return {
    address: `module.cell_${n % 40}.${kind.type}.r${n}`,
    module_address: `module.cell_${n % 40}`,
    mode: 'managed',
    type: kind.type,
    name: `r${n}`,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: [action],
      ...change,
      before_sensitive: change.before === null ? false : sensitive,
      after_sensitive: change.after === null ? false : sensitive,
    },
    ...(action === 'delete' ? { action_reason: 'delete_because_no_resource_config' } : {}),
  };
}

function hex(n) {
  return ((n * 2654435761) >>> 0).toString(16).padStart(8, '0');
}
