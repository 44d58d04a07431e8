import type { Construct } from 'constructs';
import { TerraformVariable } from 'cdktf';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { KUBE_API_HOST_VARIABLE, KUBE_API_PORT, clusterTokenArgs } from '@kitt/flag-config';
import type { ResolvedAddonsStackConfig } from './config';

/**
 * The credential plugin both providers run: `aws eks get-token` (args from
 * `clusterTokenArgs`), an STS-signed token for the cluster under the job's
 * own AWS role. The AWS CLI is on GitHub's runners; no other binary is needed.
 */
export const EXEC_CREDENTIAL = {
  apiVersion: 'client.authentication.k8s.io/v1beta1',
  command: 'aws',
} as const;

/** Where Helm keeps its release records. */
export const HELM_DRIVER = 'configmap';

/** The API URL a stack reaches by default: the cell's private API name (reachable from inside the VPC). */
export function defaultKubeApiHost(config: ResolvedAddonsStackConfig): string {
  return `https://${config.apiDomain}:${KUBE_API_PORT}`;
}

/**
 * The Kubernetes and Helm providers of a cell's API. The host is a variable,
 * so kitt can point it at a tunnel (`https://127.0.0.1:<port>`) while TLS
 * still checks the API's own name; the CA is what the cell's first
 * controller published to SSM; no static credential exists anywhere.
 */
export function addKubernetesProviders(scope: Construct, config: ResolvedAddonsStackConfig): void {
  const host = new TerraformVariable(scope, KUBE_API_HOST_VARIABLE, {
    type: 'string',
    nullable: false,
    default: defaultKubeApiHost(config),
    description: `Kubernetes API URL of cluster ${config.clusterName}: its private name, or a tunnel to it`,
  });
  const ca = new DataAwsSsmParameter(scope, 'cluster-ca-certificate', { name: config.caCertificateParameterName });
  const connection = {
    host: host.stringValue,
    tlsServerName: config.apiDomain,
    clusterCaCertificate: ca.value,
  };
  const exec = { ...EXEC_CREDENTIAL, args: clusterTokenArgs(config.clusterName, config.flag.region) };
  new KubernetesProvider(scope, 'kubernetes', { ...connection, exec: [exec] });
  // Release records in ConfigMaps, which the plan role's `view` may read (never Secrets); no pinned chart renders a Secret.
  new HelmProvider(scope, 'helm', { helmDriver: HELM_DRIVER, kubernetes: { ...connection, exec } });
}
