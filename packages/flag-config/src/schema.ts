import { z } from 'zod';
import { DEFAULT_NODE_POD_PREFIX, DEFAULT_POD_CIDR } from '@kitt/allocator';
import { ADDON_NAMES, type AddonName } from './addons';
import { IssueCode } from './errors';
import { AWS_REGIONS } from './regions';

/**
 * The one schema of `flag.yaml` and `flags/org.yaml`. Loading validates with it,
 * and `schema/*.schema.json` (for editors) is generated from it, so the two
 * cannot disagree. Objects are strict: an unknown key is an error, never ignored.
 * Grid rules (CIDRs, zone count, slots) are the allocator's and are not repeated here.
 */

/** `customer` and `environment`: no hyphens, so the FLAG id `<customer>-<environment>-<region>` stays unambiguous. */
export const FLAG_NAME_PATTERN = /^[a-z][a-z0-9]{0,11}$/;
export const CELL_NAME_PATTERN = /^[a-z][a-z0-9]{0,7}$/;
export const ACCOUNT_ID_PATTERN = /^[0-9]{12}$/;
/** Twelve zeros: matches the pattern, but is no account (`kitt check` refuses it). */
export const PLACEHOLDER_ACCOUNT_ID = '000000000000';
const ROLE_ARN_PATTERN = /^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/;
const BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** `OWNER/REPO` as GitHub spells them: an owner of up to 39 letters, digits or inner hyphens; a repository name (not `.` or `..`). */
export const GITHUB_REPOSITORY_PATTERN =
  /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The stable code and the "what would be right" text of a field, looked up when it fails. */
export interface FieldRule {
  readonly code: IssueCode;
  readonly expected: string;
}

/** Rules by schema node; a registry of its own so they stay out of the JSON Schema. */
export const fieldRules = z.registry<FieldRule>();

function withRule<T extends z.ZodType>(schema: T, code: IssueCode, expected: string): T {
  fieldRules.add(schema, { code, expected });
  return schema;
}

const DIRECTORY_NAME = 'Must equal its directory name in flags/<customer>/<environment>/<region>/.';
const flagName = (description: string, example: string) =>
  withRule(
    z.string().regex(FLAG_NAME_PATTERN).describe(description),
    IssueCode.NAME_INVALID,
    `a lowercase letter then up to 11 lowercase letters or digits, no hyphens, e.g. ${example}`,
  );

const region = (what: string) =>
  withRule(z.enum(AWS_REGIONS).describe(what), IssueCode.REGION_UNKNOWN, 'a known AWS region, e.g. us-east-1');

const accountId = (what: string) =>
  withRule(
    z.string().regex(ACCOUNT_ID_PATTERN).describe(what),
    IssueCode.ACCOUNT_ID_INVALID,
    'a 12-digit AWS account id in quotes, e.g. "123456789012"',
  );

const cidr = (what: string) => z.string().describe(`${what} (IPv4 CIDR in canonical form, e.g. 10.16.0.0/16).`);

// ── Cell layer settings: per cell (all optional, defaults in CELL_DEFAULTS) and the FLAG's teams. ──

/** Defaults of the per-cell settings of `flag.yaml`: the cell layer fills in what a cell leaves out. */
export const CELL_DEFAULTS = {
  kubernetesVersion: '1.34.2',
  etcdInstanceType: 'm7i.large',
  controlPlaneInstanceType: 'm7i.large',
  workerInstanceTypes: ['m7i.xlarge'] as readonly string[],
  workerMinSize: 2,
  workerMaxSize: 10,
  rootVolumeSizeGiB: 50,
  etcdVolumeSizeGiB: 20,
} as const;

const KUBERNETES_VERSION_PATTERN = /^1\.[0-9]{1,2}\.[0-9]{1,3}$/;
const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** A team's name is its namespace in every cell: never `default` or a `kube-` namespace of the cluster's own. */
export const TEAM_NAME_PATTERN = /^(?!kube-|default$)[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

const instanceType = (what: string, fallback: string) =>
  withRule(
    z.string().regex(INSTANCE_TYPE_PATTERN).optional().meta({ default: fallback }).describe(what),
    IssueCode.INVALID_VALUE,
    'an EC2 instance type, e.g. m7i.large',
  );
const count = (what: string, fallback: number, min: number, max: number) =>
  withRule(
    z.int().min(min).max(max).optional().meta({ default: fallback }).describe(what),
    IssueCode.INVALID_VALUE,
    `an integer from ${min} to ${max}`,
  );

/** Per-cell settings of the cell layer, spread into `CellSchema`. */
const CELL_SETTINGS_SHAPE = {
  kubernetesVersion: withRule(
    z
      .string()
      .regex(KUBERNETES_VERSION_PATTERN)
      .optional()
      .meta({ default: CELL_DEFAULTS.kubernetesVersion })
      .describe('Kubernetes version of the cell (kubeadm, kubelet), as MAJOR.MINOR.PATCH in quotes.'),
    IssueCode.INVALID_VALUE,
    'a Kubernetes version in quotes, e.g. "1.34.2"',
  ),
  etcdInstanceType: instanceType('Instance type of the three etcd members.', CELL_DEFAULTS.etcdInstanceType),
  controlPlaneInstanceType: instanceType(
    'Instance type of the control plane (API server, controller-manager, scheduler).',
    CELL_DEFAULTS.controlPlaneInstanceType,
  ),
  workerInstanceTypes: withRule(
    z
      .array(z.string().regex(INSTANCE_TYPE_PATTERN))
      .min(1)
      .max(20)
      .optional()
      .meta({ default: [...CELL_DEFAULTS.workerInstanceTypes] })
      .describe(
        'Instance types of the workers, first preferred. Give types of the same size: cluster-autoscaler assumes one shape per group.',
      ),
    IssueCode.INVALID_VALUE,
    'a list of 1 to 20 EC2 instance types, e.g. [m7i.xlarge, m6i.xlarge]',
  ),
  workerMinSize: count('Fewest workers cluster-autoscaler keeps.', CELL_DEFAULTS.workerMinSize, 0, 1000),
  workerMaxSize: count(
    'Most workers cluster-autoscaler may start; at least workerMinSize.',
    CELL_DEFAULTS.workerMaxSize,
    1,
    1000,
  ),
  rootVolumeSizeGiB: count(
    'Root volume of every node, GiB (gp3, encrypted).',
    CELL_DEFAULTS.rootVolumeSizeGiB,
    20,
    16384,
  ),
  etcdVolumeSizeGiB: count(
    "Each etcd member's data volume, GiB (gp3, encrypted; it outlives the instance).",
    CELL_DEFAULTS.etcdVolumeSizeGiB,
    8,
    16384,
  ),
};

/** A Kubernetes quantity as people write one: a number and an optional unit (the API refuses anything else at apply). */
const QUANTITY_PATTERN = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const quantity = (what: string, example: string) =>
  withRule(
    z.string().regex(QUANTITY_PATTERN).optional().describe(what),
    IssueCode.INVALID_VALUE,
    `a Kubernetes quantity in quotes, e.g. ${example}`,
  );

const TeamSchema = z
  .strictObject({
    name: withRule(
      z.string().regex(TEAM_NAME_PATTERN).describe('Team name, also its Kubernetes group and namespace.'),
      IssueCode.NAME_INVALID,
      'a lowercase DNS label of 2-32 characters, not default nor kube-*, e.g. search-ranking',
    ),
    roleArns: withRule(
      z
        .array(z.string().regex(ROLE_ARN_PATTERN))
        .min(1)
        .describe("IAM roles whose sessions act as this team's members in every cell (aws-iam-authenticator)."),
      IssueCode.ROLE_ARN_INVALID,
      'a list of IAM role ARNs, e.g. [arn:aws:iam::123456789012:role/search-ranking]',
    ),
    quota: z
      .strictObject({
        cpu: quantity('CPUs the namespace may request, as a Kubernetes quantity, e.g. "64" or 1500m.', '"64" or 1500m'),
        memory: quantity('Memory the namespace may request and limit, as a Kubernetes quantity, e.g. 256Gi.', '256Gi'),
        pods: z.int().min(0).optional().describe('Most pods in the namespace.'),
      })
      .optional()
      .describe("ResourceQuota of the team's namespace in each cell (the addons layer applies it)."),
  })
  .describe('A team of the FLAG: a Kubernetes group in every cell, and a namespace with its quota.');

// ── end of cell layer settings ──

// ── Addons layer settings: which addons each cell gets, and version overrides. ──

const CHART_VERSION_PATTERN = /^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$/;
/** A pinned tag: never `latest`, which would change what runs without a change in review. */
const IMAGE_TAG_PATTERN = /^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

const ADDON_DESCRIPTIONS: { readonly [name in AddonName]: string } = {
  flannel: 'Flannel pod networking (vxlan, --kube-subnet-mgr, SNAT of pod traffic leaving the cell).',
  cloudControllerManager: 'The AWS cloud controller manager (node lifecycle, load balancers).',
  coredns: "CoreDNS, serving the cluster's DNS on the network plan's DNS service IP.",
  ebsCsiDriver: 'The EBS CSI driver and an encrypted default StorageClass.',
  clusterAutoscaler: "cluster-autoscaler, discovering the cell's worker groups by tag.",
  nodeTerminationHandler: 'The AWS node termination handler (drains a node before EC2 stops it).',
  metricsServer: 'metrics-server (resource metrics for kubectl top and autoscalers).',
};

const addonSettings = (name: AddonName) =>
  z
    .strictObject({
      enabled: z.boolean().optional().meta({ default: true }).describe('false: this addon is not installed.'),
      chartVersion: withRule(
        z
          .string()
          .regex(CHART_VERSION_PATTERN)
          .optional()
          .describe("Helm chart version instead of the addons layer's pinned one."),
        IssueCode.INVALID_VALUE,
        'a chart version, e.g. 1.43.0 or v0.27.4',
      ),
      imageTag: withRule(
        z
          .string()
          .regex(IMAGE_TAG_PATTERN)
          .optional()
          .describe("Tag of the addon's main image instead of the addons layer's pinned one (never latest)."),
        IssueCode.INVALID_VALUE,
        'a pinned image tag, e.g. v1.34.0 (not latest)',
      ),
    })
    .optional()
    .describe(ADDON_DESCRIPTIONS[name]);

const AddonsSchema = z
  .strictObject({
    flannel: addonSettings('flannel'),
    cloudControllerManager: addonSettings('cloudControllerManager'),
    coredns: addonSettings('coredns'),
    ebsCsiDriver: addonSettings('ebsCsiDriver'),
    clusterAutoscaler: addonSettings('clusterAutoscaler'),
    nodeTerminationHandler: addonSettings('nodeTerminationHandler'),
    metricsServer: addonSettings('metricsServer'),
  } satisfies { [name in AddonName]: z.ZodType })
  .describe(
    `What the addons layer installs in every cell (${ADDON_NAMES.join(', ')}): each is on, at its pinned version, unless set here.`,
  );

// ── end of addons layer settings ──

export const CellSchema = z
  .strictObject({
    name: withRule(
      z
        .string()
        .regex(CELL_NAME_PATTERN)
        .describe(
          'Cell name: [a-z][a-z0-9]{0,7}, unique in the FLAG. ' +
            '`kitt new` names cells by zone letter and slot (a1, b1, a2) or m1, m2 for multi-AZ cells.',
        ),
      IssueCode.NAME_INVALID,
      'a lowercase letter then up to 7 lowercase letters or digits, e.g. a1',
    ),
    zone: z
      .string()
      .optional()
      .describe(
        'Single-AZ cells only: the zone (one of network.zones) the cell lives in. Leave out for a multi-AZ cell.',
      ),
    slot: withRule(
      z
        .literal([1, 2])
        .describe(
          'Grid slot, 1 or 2. A single-AZ cell takes (zone, slot); a multi-AZ cell takes the slot in every zone. ' +
            'Never change it: a moved cell is a destroyed cell.',
        ),
      IssueCode.CELL_SLOT_INVALID,
      '1 or 2',
    ),
    ...CELL_SETTINGS_SHAPE,
  })
  .describe('One cell: one Kubernetes cluster in a fixed place of the address grid.');

export const NetworkSchema = z
  .strictObject({
    vpcCidr: cidr('The VPC: always a /16, the size the address grid is laid out for. Never change it'),
    zones: z
      .array(z.string().describe('Full availability-zone name, e.g. us-east-1a.'))
      .describe(
        'Availability zones in grid order (1 to 3, each once). Append-only: removing or reordering a zone moves subnets.',
      ),
    podCidr: cidr(
      'Pod network, the same in every cell and never routed (Flannel vxlan, SNAT on egress); must not overlap the VPC or a reserved range',
    ).default(DEFAULT_POD_CIDR),
    nodePodPrefix: z
      .int()
      .describe("Prefix length of each node's pod subnet (kube-controller-manager --node-cidr-mask-size).")
      .default(DEFAULT_NODE_POD_PREFIX),
    reserved: z
      .array(cidr('A range nothing of this FLAG may overlap'))
      .describe('Ranges of peered VPCs or on-premises networks that nothing in this FLAG may overlap.')
      .default([]),
  })
  .describe("The FLAG's address plan input; every CIDR of the FLAG is computed from it.");

/** `flags/<customer>/<environment>/<region>/flag.yaml` */
export const FlagDocumentSchema = withRule(
  z
    .strictObject({
      customer: flagName(`Internal customer: [a-z][a-z0-9]{0,11} (no hyphens). ${DIRECTORY_NAME}`, 'payments'),
      environment: flagName(
        `Environment (dev, stg, prod, ...): [a-z][a-z0-9]{0,11} (no hyphens). ${DIRECTORY_NAME}`,
        'prod',
      ),
      region: region('AWS region; must equal the directory name.'),
      aws: z
        .strictObject({
          accountId: accountId('The only AWS account this FLAG may touch, as a quoted 12-digit string.'),
        })
        .describe('AWS settings of the FLAG.'),
      network: NetworkSchema,
      topology: z
        .enum(['single-az', 'multi-az'])
        .describe('single-az: each cell lives in one zone. multi-az: each cell spans all (three) zones.'),
      cells: z
        .array(CellSchema)
        .describe('The Kubernetes clusters of this FLAG. Up to 2 per zone (single-az) or 2 (multi-az).'),
      teams: z.array(TeamSchema).optional().describe('Teams of the FLAG and the IAM roles of their members.'),
      addons: AddonsSchema.optional(),
    })
    .meta({
      title: 'kitt FLAG',
      description:
        'One (customer, environment, region) triple: one VPC and the cells in it. Path: flags/<customer>/<environment>/<region>/flag.yaml.',
    }),
  IssueCode.INVALID_TYPE,
  'a mapping with customer, environment, region, aws, network, topology and cells',
);

const AccountRolesSchema = z
  .strictObject({
    planRoleArn: withRule(
      z.string().regex(ROLE_ARN_PATTERN).describe('IAM role pull-request plans assume (read-only).'),
      IssueCode.ROLE_ARN_INVALID,
      'arn:aws:iam::<account id>:role/<name>',
    ),
    applyRoleArn: withRule(
      z.string().regex(ROLE_ARN_PATTERN).describe('IAM role the apply on merge assumes.'),
      IssueCode.ROLE_ARN_INVALID,
      'arn:aws:iam::<account id>:role/<name>',
    ),
  })
  .describe('Roles the workflows assume in this account.');

const GITHUB_ENVIRONMENT_NAME = z.string().min(1).max(255).describe('GitHub Environment name.');

/** GitHub logins: letters, digits and single hyphens inside, at most 39 characters. */
const GITHUB_LOGIN_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const COMMIT_SHA_PATTERN = /^[0-9a-f]{40}$/;

/** `environments.<env>`: a GitHub Environment name, or the name with the people who approve follow-up plans. */
const EnvironmentSchema = z.union([
  GITHUB_ENVIRONMENT_NAME,
  z
    .strictObject({
      environment: GITHUB_ENVIRONMENT_NAME.optional().describe(
        'GitHub Environment the apply jobs run in. Leave out to use the FLAG environment name itself.',
      ),
      approvers: z
        .array(
          withRule(
            z.string().regex(GITHUB_LOGIN_PATTERN).describe('A GitHub login.'),
            IssueCode.INVALID_VALUE,
            'a GitHub login: letters, digits and single hyphens, at most 39 characters, e.g. octo-cat',
          ),
        )
        .default([])
        .describe(
          'GitHub logins who may approve, with kitt apply --approve, a plan made at apply time for a FLAG of this environment (never the pull request’s author).',
        ),
    })
    .describe('The GitHub Environment and the approvers of plans made at apply time.'),
]);

/** `flags/org.yaml`: org-wide settings. The file and its `state` are required; every other key is optional. */
export const OrgDocumentSchema = withRule(
  z
    .strictObject({
      pool: z
        .union([cidr('One pool range'), z.array(cidr('One pool range')).min(1)])
        .default(['10.0.0.0/8'])
        .transform((pool) => (typeof pool === 'string' ? [pool] : pool))
        .describe('CIDRs new FLAG VPCs are taken from (kitt new takes the first free /16). One CIDR or a list.'),
      state: z
        .strictObject({
          bucket: withRule(
            z.string().regex(BUCKET_PATTERN).describe('S3 bucket of the Terraform state.'),
            IssueCode.INVALID_VALUE,
            'an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens',
          ),
          region: region('Region of the state bucket.'),
          accountId: accountId(
            'The one AWS account that owns the state bucket (kitt bootstrap creates it there); listed under accounts.',
          ).optional(),
          endpoint: z
            .string()
            .optional()
            .describe(
              'URL of an S3-compatible store (MinIO, Ceph, ...) that holds the state instead of AWS S3: https, or http on loopback only. ' +
                'With it, the backend and every remote-state lookup skip the AWS credential and account checks (no STS there).',
            ),
          usePathStyle: z
            .boolean()
            .optional()
            .describe(
              'Address the bucket as <endpoint>/<bucket> instead of <bucket>.<endpoint>; most S3-compatible stores need it.',
            ),
        })
        .describe('Terraform state backend of every stack (required: there is no default bucket).'),
      github: z
        .strictObject({
          repository: withRule(
            z
              .string()
              .regex(GITHUB_REPOSITORY_PATTERN)
              .describe('The OWNER/REPO whose workflows the plan and apply roles trust (kitt bootstrap).'),
            IssueCode.INVALID_VALUE,
            'OWNER/REPO of this repository on GitHub, e.g. example-org/platform-flags',
          ),
        })
        .optional()
        .describe('The GitHub repository of the FLAGs: the trust policies of kitt bootstrap name it.'),
      domain: withRule(
        z
          .string()
          .regex(DOMAIN_PATTERN)
          .optional()
          .describe('DNS zone for ACM certificates and API records. Leave out for no certificate.'),
        IssueCode.INVALID_VALUE,
        'a lowercase DNS name, e.g. kitt.example.com',
      ),
      flowLogRetentionDays: withRule(
        z
          .literal(LOG_RETENTION_DAYS)
          .default(90)
          .describe('VPC flow log retention in days (a CloudWatch Logs retention period).'),
        IssueCode.INVALID_VALUE,
        `one of ${LOG_RETENTION_DAYS.join(', ')}`,
      ),
      amis: z
        .partialRecord(region('Region'), z.string().min(1).describe('AMI id (ami-...) or SSM parameter name.'))
        .default({})
        .describe('Pinned AMI id (or SSM parameter name) per region, for the cell layer.'),
      accounts: z
        .record(accountId('AWS account id'), AccountRolesSchema)
        .default({})
        .describe('Per AWS account id (quoted, 12 digits): the roles plans and applies assume.'),
      environments: z
        .record(flagName('A FLAG environment name, as in flag.yaml.', 'prod'), EnvironmentSchema)
        .default({})
        .describe(
          'Per FLAG environment: the GitHub Environment its applies run in, and who may approve the plans made at apply time.',
        ),
      applySince: withRule(
        z
          .string()
          .regex(COMMIT_SHA_PATTERN)
          .optional()
          .describe(
            'The commit on main from which kitt apply catches up merges that have no apply record (full SHA). Leave out to look back to each FLAG’s first commit.',
          ),
        IssueCode.INVALID_VALUE,
        'a full 40-character commit SHA of main',
      ),
    })
    .meta({ title: 'kitt org settings', description: 'Org-wide settings of the FLAG platform: flags/org.yaml.' }),
  IssueCode.INVALID_TYPE,
  'a mapping of org settings (pool, state, github, domain, flowLogRetentionDays, amis, accounts, environments, applySince)',
);

export type FlagDocument = z.output<typeof FlagDocumentSchema>;
export type OrgDocument = z.output<typeof OrgDocumentSchema>;

/** JSON Schemas for editors (draft-07: what yaml-language-server and most editors read). */
export function flagJsonSchema(): Record<string, unknown> {
  return toJsonSchema(FlagDocumentSchema);
}

export function orgJsonSchema(): Record<string, unknown> {
  return toJsonSchema(OrgDocumentSchema);
}

function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-7',
    // z.int() bounds integers to the safe range: true, and noise in an editor's hover.
    override: ({ jsonSchema }) => {
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    },
  });
}
