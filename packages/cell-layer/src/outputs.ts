import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';

/**
 * The cell layer's demarcation point: what the addons layer may use, and
 * nothing else. On a `CellStack` the values are references (cdktf turns a
 * use in another stack into a remote-state lookup); in the state they are
 * the Terraform outputs named in `CELL_OUTPUT_NAMES`.
 */
export interface CellStackOutputs {
  /** `https://api.<cell>.<flag-id>.<domain>:6443`: the cell's one Kubernetes API endpoint. */
  readonly apiEndpoint: string;
  /** `<flag-id>-<cell>`: the cluster name in kubeadm, tags and the authenticator's cluster id. */
  readonly clusterName: string;
  /** SSM String parameter holding the cluster CA certificate (PEM), published by the control plane. */
  readonly caCertificateParameterName: string;
}

/** Terraform output name of each field: a contract with every reader of the cell state. */
export const CELL_OUTPUT_NAMES: { readonly [K in keyof CellStackOutputs]: string } = {
  apiEndpoint: 'api_endpoint',
  clusterName: 'cluster_name',
  caCertificateParameterName: 'ca_certificate_parameter_name',
};

const DESCRIPTIONS: { readonly [K in keyof CellStackOutputs]: string } = {
  apiEndpoint: 'Kubernetes API endpoint of the cell (internal load balancer, private DNS)',
  clusterName: 'Kubernetes cluster name of the cell',
  caCertificateParameterName: 'SSM parameter (String) with the cluster CA certificate',
};

export function addCellOutputs(scope: Construct, outputs: CellStackOutputs): void {
  for (const key of Object.keys(CELL_OUTPUT_NAMES) as (keyof CellStackOutputs)[]) {
    new TerraformOutput(scope, CELL_OUTPUT_NAMES[key], { value: outputs[key], description: DESCRIPTIONS[key] });
  }
}
