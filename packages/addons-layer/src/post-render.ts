import * as path from 'node:path';
import { AssetType, TerraformAsset } from 'cdktf';
import type { Construct } from 'constructs';
import type { ReleasePostrender } from '@cdktf/provider-helm/lib/release';

/**
 * `post-render/ebs-csi-host-network.mjs`, found through the package rather
 * than `__dirname`: kitt's bundles (scripts/build.mjs) move this module, not
 * the package.
 */
export const EBS_CSI_HOST_NETWORK_SCRIPT = path.join(
  // A file's path, not an import: through the package name, which resolves to the package from a bundle too.
  // eslint-disable-next-line @nx/enforce-module-boundaries
  path.dirname(require.resolve('@kitt/addons-layer/package.json')),
  'post-render',
  'ebs-csi-host-network.mjs',
);

/**
 * The EBS CSI release's post-renderer, which puts the controller's pods on the
 * host network (the chart has no value for it). The script is copied into the
 * stack's directory (`assets/ebs-csi-host-network/<content hash>/`), so the
 * directory is all Terraform needs and an edit to the script changes
 * `cdk.tf.json`. Helm runs it from Terraform's working directory, the stack's
 * (kitt runs `terraform -chdir=<stack dir>`), through `node` on the PATH: the
 * same Node kitt runs on, and no reliance on the file keeping its mode.
 */
export function ebsCsiHostNetworkPostrender(scope: Construct): ReleasePostrender {
  const script = new TerraformAsset(scope, 'ebs-csi-host-network', {
    path: EBS_CSI_HOST_NETWORK_SCRIPT,
    type: AssetType.FILE,
  });
  return { binaryPath: 'node', args: [script.path] };
}
