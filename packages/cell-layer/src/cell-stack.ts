import type { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  KUBE_API_PORT,
  clusterCaCertificateParameterName,
  clusterName,
  defaultTags,
  stackName,
} from '@kitt/flag-config';
import { addCellAlarms } from './alarms';
import { addStateBackend } from '@kitt/flag-layer';
import { cellBootstrapConfig } from './bootstrap-config';
import { resolveCellStackConfig, type CellStackConfig } from './config';
import { addControlPlane } from './control-plane';
import { CellLayerError } from './errors';
import { addEtcdMembers } from './etcd';
import { addCellNodeIam } from './node-iam';
import { addCellOutputs, type CellStackOutputs } from './outputs';
import { addCellSecurityGroups } from './security-groups';
import { addWorkers } from './workers';

/**
 * The cell layer of one cell (stack `<flag-id>-cell-<cell>`): the EC2
 * compute that runs one Kubernetes cluster, ending in its API endpoint.
 * Addresses come only from `config.plan`; everything of the flag layer
 * through `config.flagOutputs` (remote state). Build it as
 * `new CellStack(app, stackName(flag, 'cell', cell), config)`.
 */
export class CellStack extends TerraformStack {
  /** References for the addons layer. */
  readonly outputs: CellStackOutputs;

  constructor(scope: Construct, id: string, config: CellStackConfig) {
    // Check everything that can fail before the stack exists, so a bad input leaves no half-built App.
    const resolved = resolveCellStackConfig(config);
    const { flag, org, cellPlan } = resolved;
    const cell = cellPlan.name;
    const expectedId = stackName(flag, 'cell', cell);
    if (id !== expectedId) {
      throw new CellLayerError({
        code: 'STACK_NAME_MISMATCH',
        file: flag.file,
        path: '',
        message: `The stack of cell ${cell} of ${flag.id} must be named ${expectedId} (received ${id}).`,
        received: id,
        expected: expectedId,
      });
    }
    super(scope, id);

    new AwsProvider(this, 'aws', {
      region: flag.region,
      allowedAccountIds: [flag.aws.accountId],
      defaultTags: [{ tags: defaultTags(flag, 'cell') }],
    });
    addStateBackend(this, flag, org.state, 'cell', cell);

    const bootstrap = cellBootstrapConfig(resolved);
    const iam = addCellNodeIam(this, resolved);
    const groups = addCellSecurityGroups(this, resolved);
    addEtcdMembers(this, resolved, iam, groups, bootstrap);
    const controlPlane = addControlPlane(this, resolved, iam, groups, bootstrap);
    addWorkers(this, resolved, iam, groups, bootstrap);
    addCellAlarms(this, resolved);

    this.outputs = {
      apiEndpoint: `https://${controlPlane.record.fqdn}:${KUBE_API_PORT}`,
      clusterName: clusterName(flag, cell),
      caCertificateParameterName: clusterCaCertificateParameterName(flag, cell),
    };
    addCellOutputs(this, this.outputs);
  }
}
